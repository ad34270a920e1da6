import { z } from 'zod';
import { CountryCode, CurrencyCode, LanguageZ, NewOrgSlug, OrgSlug, PlanNameZ, TimezoneId } from '@cloudact/shared/orgs/schemas';

export const OnboardBody = z.strictObject({
  org_slug: NewOrgSlug,
  company_name: z.string().trim().min(2).max(200),
  admin_email: z.email(),
  subscription_plan: PlanNameZ,
  default_currency: CurrencyCode.optional(),
  default_timezone: TimezoneId.optional(),
  default_country: CountryCode.optional(),
  default_language: LanguageZ.optional(),
  restore_dataset: z.boolean().optional().describe('Attach the new org to the rows an earlier org of this slug left in {org}_prod (same company coming back)'),
});

/** Dry-run takes the same fields but reports bad values as failed checks instead of a 422. */
export const DryrunBody = z.strictObject({
  org_slug: z.string(),
  company_name: z.string(),
  admin_email: z.string(),
  subscription_plan: z.string(),
  default_currency: z.string().optional(),
  default_timezone: z.string().optional(),
  default_country: z.string().optional(),
  default_language: z.string().optional(),
});

export const RotateBody = z.strictObject({
  grace_period_seconds: z.number().int().min(0).max(86_400).optional().describe('Seconds the old key keeps working (max 24 h); 0 = stops at once'),
});

export const SubscriptionUpdateBody = z.strictObject({
  plan_name: PlanNameZ.optional(),
  daily_limit: z.number().int().min(1).max(1_000_000).optional(),
  monthly_limit: z.number().int().min(1).max(30_000_000).optional(),
  status: z.enum(['ACTIVE', 'TRIAL', 'SUSPENDED', 'CANCELLED']).optional().describe('Billing status of the plan; SUSPENDED and CANCELLED suspend the org (its keys get 403) but never free its slug'),
}).refine((b) => Object.keys(b).length > 0, 'Give at least one of plan_name, daily_limit, monthly_limit, status');

export const DeleteOrgBody = z.strictObject({
  confirm_org_slug: z.string(),
  delete_dataset: z.boolean().default(false),
});

export const CreateKeyBody = z.strictObject({
  org_slug: OrgSlug,
  description: z.string().max(500).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  scopes: z.array(z.enum(['read', 'write', 'admin'])).min(1).optional(),
});

export const KeyHashParams = z.strictObject({ key_hash: z.string().regex(/^[0-9a-f]{64}$/, 'key_hash must be the 64-character SHA-256 hex of the key') });

export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
