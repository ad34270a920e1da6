/** An org's profile as every layer sees it (org_profiles row, read by orgs/profile-store.ts). */
export interface OrgProfile {
  org_slug: string;
  /**
   * The tenant's immutable identity: the id of the onboarding claim that made this life of the
   * slug. A slug deleted and onboarded again is a new tenant with a new org_id; every central row
   * carries it and every read filters on it (see orgs/identity.ts).
   */
  org_id: string;
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
