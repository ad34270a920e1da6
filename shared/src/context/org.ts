/** An org's profile as every layer sees it (org_profiles row, read by orgs/profile-store.ts). */
export interface OrgProfile {
  org_slug: string;
  company_name: string;
  admin_email: string;
  org_dataset_id: string;
  status: string;
  subscription_plan: string | null;
  default_currency: string;
  default_country: string;
  default_language: string;
  default_timezone: string;
  created_at: string;
  updated_at: string | null;
  key_epoch: string | null;
  locale_version: number;
}
