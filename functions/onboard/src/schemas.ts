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
  regenerate_api_key_if_exists: z.boolean().optional().describe('Both ages of the web app send it on the retry after a 409 "already exists with status \'ACTIVE\'": for a live ACTIVE org, its keys are regenerated (as POST /admin/organizations/{org_slug}/regenerate-api-key) and the answer carries the new key; for a new slug it is ignored'),
});
export type OnboardBody = z.infer<typeof OnboardBody>;

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
  regenerate_api_key_if_exists: z.boolean().optional().describe('Accepted because the web app sends its onboarding request here too; a dry run ignores it'),
});
export type DryrunBody = z.infer<typeof DryrunBody>;

export const RotateBody = z.strictObject({
  grace_period_seconds: z.number().int().min(0).max(86_400).optional().describe('Seconds the old key keeps working (max 24 h); 0 = stops at once'),
});
export type RotateBody = z.infer<typeof RotateBody>;

export const SubscriptionUpdateBody = z.strictObject({
  plan_name: PlanNameZ.optional(),
  daily_limit: z.number().int().min(1).max(1_000_000).optional(),
  monthly_limit: z.number().int().min(1).max(30_000_000).optional(),
  status: z.enum(['ACTIVE', 'TRIAL', 'SUSPENDED', 'CANCELLED']).optional().describe('Billing status of the plan; SUSPENDED and CANCELLED suspend the org (its keys get 403) but never free its slug'),
}).refine((b) => Object.keys(b).length > 0, 'Give at least one of plan_name, daily_limit, monthly_limit, status');
export type SubscriptionUpdateBody = z.infer<typeof SubscriptionUpdateBody>;

export const DeleteOrgBody = z.strictObject({
  confirm_org_slug: z.string(),
  delete_dataset: z.boolean().default(false),
});
export type DeleteOrgBody = z.infer<typeof DeleteOrgBody>;

export const CreateKeyBody = z.strictObject({
  org_slug: OrgSlug,
  description: z.string().max(500).optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  scopes: z.array(z.enum(['read', 'write', 'admin'])).min(1).optional(),
});
export type CreateKeyBody = z.infer<typeof CreateKeyBody>;

export const KeyHashParams = z.strictObject({ key_hash: z.string().regex(/^[0-9a-f]{64}$/, 'key_hash must be the 64-character SHA-256 hex of the key') });
export type KeyHashParams = z.infer<typeof KeyHashParams>;

export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

// ---- Response bodies (see defineRoute: handlers are typed by their input side) ----

const Timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const Scope = z.enum(['read', 'write', 'admin']);

/** A key's metadata: never the key or its hash. */
export const KeyMetadata = z.strictObject({
  org_api_key_id: z.string(),
  fingerprint: z.string().describe('sk_{org_slug}_...{last 4}'),
  description: z.string().nullable(),
  scopes: z.array(Scope),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
  expires_at: Timestamp.nullable(),
  revoked_at: Timestamp.nullable(),
  is_active: z.boolean().describe('Usable now: not revoked, not expired, not superseded by a regeneration or a rotation'),
  rotated_to: z.string().nullable(),
});
export type KeyMetadata = z.input<typeof KeyMetadata>;

/** A newly issued key: the only time `api_key` is shown. */
const IssuedKey = {
  api_key: z.string().describe('sk_{org_slug}_{32 url-safe characters}; store it now, it is not shown again'),
  org_api_key_id: z.string(),
  fingerprint: z.string(),
  scopes: z.array(Scope),
  expires_at: Timestamp.nullable(),
};

/** The org's plan row (org_subscriptions). */
export const Plan = z.strictObject({
  subscription_id: z.string(),
  plan_name: z.string().describe('FREE, STARTER, PROFESSIONAL, SCALE or ENTERPRISE'),
  status: z.string().describe('Billing status: ACTIVE, TRIAL, SUSPENDED or CANCELLED'),
  daily_limit: z.number().int(),
  monthly_limit: z.number().int(),
  concurrent_limit: z.number().int(),
  seat_limit: z.number().int().nullable(),
  providers_limit: z.number().int().nullable(),
  trial_end_date: z.iso.date().nullable(),
  subscription_end_date: z.iso.date().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp.nullable(),
});
export type Plan = z.input<typeof Plan>;

export const DryrunResponse = z.strictObject({
  status: z.string().describe('SUCCESS or FAILED'),
  ready_for_onboarding: z.boolean(),
  org_slug: z.string(),
  validation_summary: z.strictObject({ total_checks: z.number().int(), passed: z.number().int(), failed: z.number().int() }),
  validation_results: z.array(z.strictObject({ check_name: z.string(), status: z.enum(['PASSED', 'FAILED']), message: z.string() })),
  message: z.string(),
});
export type DryrunResponse = z.input<typeof DryrunResponse>;

export const OnboardResponse = z.strictObject({
  status: z.literal('SUCCESS'),
  org_slug: z.string(),
  company_name: z.string(),
  admin_email: z.string(),
  org_status: z.literal('ACTIVE'),
  subscription_plan: PlanNameZ,
  default_currency: z.string(),
  default_country: z.string(),
  default_language: z.string(),
  default_timezone: z.string(),
  currency_symbol: z.string(),
  currency_decimals: z.number().int(),
  created_at: Timestamp,
  api_key: IssuedKey.api_key,
  api_key_id: z.string(),
  api_key_fingerprint: z.string(),
  subscription: z.strictObject({
    subscription_id: z.string(),
    plan_name: PlanNameZ,
    status: z.enum(['ACTIVE', 'TRIAL']).describe('ACTIVE for a new org; with regenerate_api_key_if_exists, the existing plan\'s billing status'),
    daily_limit: z.number().int(),
    monthly_limit: z.number().int(),
    concurrent_limit: z.number().int(),
    seat_limit: z.number().int(),
    providers_limit: z.number().int(),
  }),
  dataset_id: z.string(),
  dataset_created: z.boolean(),
  dataset_restored: z.boolean(),
  tables_created: z.array(z.string()),
  tables_existed: z.array(z.string()),
  api_key_regenerated: z.boolean().describe('True when regenerate_api_key_if_exists met a live ACTIVE org: nothing was created, its keys were replaced by api_key (dataset_created false, no tables created; the profile fields are the existing org\'s)'),
  org_api_key_hash: z.string().describe('SHA-256 hex of api_key, the key_hash of DELETE /admin/api-keys/{key_hash}; the FastAPI-era name the web app\'s regenerate answer reads'),
  message: z.string(),
});
export type OnboardResponse = z.input<typeof OnboardResponse>;

export const ApiKeyListResponse = z.strictObject({
  org_slug: z.string(),
  current_key: KeyMetadata.nullable().describe('The key that made this call (null when called otherwise)'),
  keys: z.array(KeyMetadata),
  // The older web app's ApiKeyInfoResponse reads these flat (FastAPI-era names).
  api_key_fingerprint: z.string().nullable().describe('current_key.fingerprint, flat, for the older web app (ApiKeyInfoResponse); with the root key, the newest usable key\'s; null if none'),
  is_active: z.boolean().describe('current_key.is_active, flat, for the older web app (false when there is no key to describe)'),
  created_at: Timestamp.nullable().describe('current_key.created_at, flat, for the older web app'),
  scopes: z.array(Scope).describe('current_key.scopes, flat, for the older web app ([] when there is no key to describe)'),
});
export type ApiKeyListResponse = z.input<typeof ApiKeyListResponse>;

export const RotateResponse = z.strictObject({
  ...IssuedKey,
  org_slug: z.string().describe('For the older web app (RotateApiKeyResponse)'),
  api_key_fingerprint: z.string().describe('Same as fingerprint: the older web app\'s name (RotateApiKeyResponse)'),
  previous_key_revoked: z.boolean().describe('True when the old key stopped with this call (no grace period); the older web app reads it (RotateApiKeyResponse)'),
  previous_key_id: z.string(),
  previous_key_valid_until: Timestamp,
  message: z.string(),
});
export type RotateResponse = z.input<typeof RotateResponse>;

export const SubscriptionResponse = z.strictObject({
  org_slug: z.string(),
  subscription: Plan,
});
export type SubscriptionResponse = z.input<typeof SubscriptionResponse>;

export const SubscriptionUpdateResponse = z.strictObject({
  org_slug: z.string(),
  org_status: z.enum(['ACTIVE', 'SUSPENDED']).describe('The org lifecycle the billing status implies'),
  before: Plan.pick({ plan_name: true, status: true, daily_limit: true, monthly_limit: true, concurrent_limit: true, seat_limit: true, providers_limit: true }),
  subscription: Plan,
});
export type SubscriptionUpdateResponse = z.input<typeof SubscriptionUpdateResponse>;

const Usage = z.strictObject({
  used: z.number().int(),
  limit: z.number().int(),
  remaining: z.number().int(),
  reset_at: Timestamp.describe('Next midnight (day) or first of the month, in the org\'s timezone, as a UTC instant'),
});

export const QuotaResponse = z.strictObject({
  org_slug: z.string(),
  plan_name: z.string(),
  timezone: z.string(),
  date: z.iso.date().describe('Today in the org\'s timezone'),
  daily: Usage,
  monthly: Usage,
  concurrent: z.strictObject({ running: z.number().int(), limit: z.number().int() }),
  succeeded_today: z.number().int(),
  failed_today: z.number().int(),
  // Flat copies of the numbers above under the names the web app's two ages read.
  pipelines_run_today: z.number().int().describe('daily.used, under the original FastAPI backend\'s name (older web app)'),
  daily_limit: z.number().int().describe('daily.limit (FastAPI name, older web app)'),
  pipelines_run_month: z.number().int().describe('monthly.used (FastAPI name, older web app)'),
  monthly_limit: z.number().int().describe('monthly.limit (FastAPI name, older web app)'),
  concurrent_pipelines_running: z.number().int().describe('concurrent.running (FastAPI name, older web app)'),
  concurrent_limit: z.number().int().describe('concurrent.limit (FastAPI name, older web app)'),
  usage_date: z.iso.date().describe('date (FastAPI name, older web app)'),
  pipelinesRunToday: z.number().int().describe('daily.used, camelCase as the later web app\'s quota action reads it'),
  dailyLimit: z.number().int().describe('daily.limit (later web app)'),
  pipelinesRunMonth: z.number().int().describe('monthly.used (later web app)'),
  monthlyLimit: z.number().int().describe('monthly.limit (later web app)'),
  concurrentRunning: z.number().int().describe('concurrent.running (later web app)'),
  concurrentLimit: z.number().int().describe('concurrent.limit (later web app)'),
  usageDate: z.iso.date().describe('date (later web app)'),
  dailyUsagePercent: z.number().describe('daily.used of daily.limit in percent, 2 decimals (later web app)'),
  monthlyUsagePercent: z.number().describe('monthly.used of monthly.limit in percent, 2 decimals (later web app)'),
  seatLimit: z.number().int().nullable().describe('The plan\'s seats (later web app); null when unlimited'),
  providersLimit: z.number().int().nullable().describe('The plan\'s integration providers (later web app); null when unlimited'),
  configuredProvidersCount: z.number().int().describe('Providers with an active VALID credential (later web app)'),
});
export type QuotaResponse = z.input<typeof QuotaResponse>;

export const DeleteOrgResponse = z.strictObject({
  status: z.string().describe('SUCCESS'),
  org_slug: z.string(),
  org_status: z.string().describe('DELETED'),
  was_already_deleted: z.boolean(),
  keys_revoked: z.number().int(),
  dataset_deleted: z.boolean(),
  dataset_id: z.string(),
  message: z.string(),
});
export type DeleteOrgResponse = z.input<typeof DeleteOrgResponse>;

export const CreateKeyResponse = z.strictObject({
  org_slug: z.string(),
  ...IssuedKey,
});
export type CreateKeyResponse = z.input<typeof CreateKeyResponse>;

export const RevokeKeyResponse = z.strictObject({
  org_slug: z.string(),
  org_api_key_id: z.string(),
  revoked: z.boolean().describe('Always true: the key no longer works'),
  was_active: z.boolean().describe('False when it had been revoked already'),
});
export type RevokeKeyResponse = z.input<typeof RevokeKeyResponse>;

/** An org_profiles row as admins see it. */
export const OrgProfile = z.strictObject({
  org_slug: z.string(),
  org_id: z.string().describe('The tenant: a new id each time the slug is onboarded, so a re-used slug is never the same org'),
  company_name: z.string(),
  admin_email: z.string(),
  org_dataset_id: z.string(),
  status: z.string().describe('Lifecycle: ACTIVE, SUSPENDED or DELETED'),
  subscription_plan: z.string().nullable(),
  default_currency: z.string(),
  default_country: z.string(),
  default_language: z.string(),
  default_timezone: z.string(),
  created_at: Timestamp,
  updated_at: Timestamp.nullable(),
  key_epoch: z.string().nullable(),
  locale_version: z.number().int(),
});
export type OrgProfile = z.input<typeof OrgProfile>;

export const OrgOverviewResponse = z.strictObject({
  org_slug: z.string(),
  profile: OrgProfile,
  subscription: Plan.nullable(),
  api_keys: z.array(KeyMetadata),
});
export type OrgOverviewResponse = z.input<typeof OrgOverviewResponse>;

export const RegenerateKeyResponse = z.strictObject({
  org_slug: z.string(),
  ...IssuedKey,
  keys_revoked: z.number().int().nullable().describe('Older key rows marked revoked (null if that bookkeeping failed: they are dead by epoch anyway)'),
  org_api_key_hash: z.string().describe('SHA-256 hex of api_key (the key_hash of DELETE /admin/api-keys/{key_hash}); the older web app\'s RegenerateApiKeyResponse reads it'),
  created_at: Timestamp.describe('When the new key was issued; the older web app reads it (RegenerateApiKeyResponse)'),
  description: z.string().describe('The new key\'s description; the older web app reads it (RegenerateApiKeyResponse)'),
  message: z.string(),
});
export type RegenerateKeyResponse = z.input<typeof RegenerateKeyResponse>;

/** An org_audit_logs row (without org_slug, user_id and user_agent). */
export const AuditLogEntry = z.strictObject({
  audit_id: z.string(),
  api_key_id: z.string().nullable(),
  actor_type: z.string().nullable().describe('root, org, system, anonymous or auth-disabled'),
  actor_id: z.string().nullable(),
  action: z.string(),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable().describe('For changes: { before, after }'),
  ip_address: z.string().nullable(),
  request_id: z.string().nullable(),
  client_request_id: z.string().nullable(),
  status: z.string().describe('SUCCESS or FAILED'),
  error_message: z.string().nullable(),
  created_at: Timestamp,
});
export type AuditLogEntry = z.input<typeof AuditLogEntry>;

export const AuditLogsResponse = z.strictObject({
  org_slug: z.string(),
  from: Timestamp,
  to: Timestamp,
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  logs: z.array(AuditLogEntry),
});
export type AuditLogsResponse = z.input<typeof AuditLogsResponse>;

export const RevealKeyResponse = z.strictObject({
  org_slug: z.string(),
  org_api_key_id: z.string(),
  api_key: z.string(),
  scopes: z.array(Scope),
});
export type RevealKeyResponse = z.input<typeof RevealKeyResponse>;
