import { randomUUID } from 'node:crypto';
import { forgetOrg, type AppDeps } from '../app/deps.js';
import { ConflictError } from '../errors.js';
import { allSettledOrThrow } from '../settle.js';
import { countryForCurrency, currency, LOCALE_DEFAULTS } from '../i18n/index.js';
import { orgTables } from '../warehouse/schemas.js';
import { writeAudit } from './audit.js';
import { claimSlug, settleClaim } from './claim.js';
import { insertKeyRow } from './api-keys.js';
import { ALL_SCOPES, apiKeyAad, fingerprintOf, newOrgApiKey } from './keys.js';
import { planLimits, type PlanName } from './plans.js';
import { upsertSubscription } from './subscription-store.js';
import { orgDataset, ref } from './tables.js';

export interface OnboardInput {
  org_slug: string;
  company_name: string;
  admin_email: string;
  subscription_plan: PlanName;
  default_currency?: string;
  default_timezone?: string;
  default_country?: string;
  /** Lower-cased by validation; `en` is the only language so far. */
  default_language?: string;
}

export interface OnboardResult {
  status: 'SUCCESS';
  org_slug: string;
  company_name: string;
  admin_email: string;
  org_status: 'ACTIVE';
  subscription_plan: PlanName;
  default_currency: string;
  default_country: string;
  default_language: string;
  default_timezone: string;
  currency_symbol: string;
  currency_decimals: number;
  created_at: string;
  api_key: string;
  api_key_id: string;
  api_key_fingerprint: string;
  subscription: { subscription_id: string; plan_name: PlanName; status: 'ACTIVE'; daily_limit: number; monthly_limit: number; concurrent_limit: number; seat_limit: number; providers_limit: number };
  dataset_id: string;
  dataset_created: boolean;
  tables_created: string[];
  tables_existed: string[];
  message: string;
}

/**
 * Onboards an org. Round-trips on the critical path (each line runs its calls in parallel):
 *   1. claim the slug (MERGE, see claim.ts)
 *   2. create the org dataset | upsert the subscription (MERGE) | insert the API key | retire older keys
 *   3. create the 6 org tables
 *   4. mark the claim ACTIVE | audit row
 * Every step is idempotent, so a retry of the same request after a failure completes the org.
 * On failure this attempt undoes what it can (key deleted, subscription removed, a dataset it
 * created dropped, claim marked FAILED) so the slug is free at once; if the warehouse is too
 * broken even for that, the claim's lease expires and the next attempt takes it over.
 */
export async function onboardOrg(deps: AppDeps, input: OnboardInput, ctx: { requestId: string }): Promise<OnboardResult> {
  const wh = deps.warehouse;
  const now = deps.clock();
  const slug = input.org_slug;
  const claimId = randomUUID();
  const datasetId = orgDataset(slug);
  const currencyCode = input.default_currency ?? LOCALE_DEFAULTS.currency;
  const cur = currency(currencyCode)!;
  const profile = {
    company_name: input.company_name,
    admin_email: input.admin_email,
    org_dataset_id: datasetId,
    subscription_plan: input.subscription_plan,
    default_currency: currencyCode,
    default_country: input.default_country ?? countryForCurrency(currencyCode),
    default_language: input.default_language ?? LOCALE_DEFAULTS.language,
    default_timezone: input.default_timezone ?? LOCALE_DEFAULTS.timezone,
  };
  const limits = planLimits(input.subscription_plan);
  const apiKey = newOrgApiKey(slug);
  const keyId = randomUUID();
  const subscriptionId = randomUUID();
  let datasetCreated = false;
  const tables = orgTables().tables;
  let made: boolean[] = tables.map(() => false);

  try {
    const [claimed, encryptedKey] = await allSettledOrThrow([
      claimSlug(wh, { orgSlug: slug, claimId, now, leaseCutoff: new Date(now.getTime() - deps.config.onboardingLeaseMs), profile }),
      deps.encryptor.encrypt(apiKey, apiKeyAad(slug)),
    ]);
    if (!claimed) throw await slugTaken(deps, slug);

    const [created] = await allSettledOrThrow([
      wh.createDataset(datasetId),
      upsertSubscription(wh, { subscriptionId, orgSlug: slug, plan: input.subscription_plan, status: 'ACTIVE', limits, now }),
      insertKeyRow(wh, { id: keyId, orgSlug: slug, apiKey, encrypted: encryptedKey, scopes: [...ALL_SCOPES], description: 'Primary key, issued at onboarding', expiresAt: null, now }),
      // Keys of an earlier life of this slug, or of an attempt that died, must stay dead.
      wh.execute({
        sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_slug = @org AND is_active AND org_api_key_id != @id`,
        params: { now, org: slug, id: keyId },
      }),
    ]);
    datasetCreated = created;

    made = await allSettledOrThrow(tables.map((t) => wh.createTable(datasetId, t)));

    const [settled] = await allSettledOrThrow([
      settleClaim(wh, slug, claimId, 'ACTIVE', now),
      // The org is complete once settled: a lost audit row is logged, not turned into a failure.
      writeAudit(wh, now, { orgSlug: slug, action: 'ONBOARD', resourceType: 'ORGANIZATION', resourceId: slug, requestId: ctx.requestId, details: { plan: input.subscription_plan, dataset_id: datasetId, api_key_id: keyId } })
        .catch((err: unknown) => deps.logger.log('ERROR', `onboarding of ${slug}: audit row not written`, { request_id: ctx.requestId, error: err })),
    ]);
    if (!settled) throw new ConflictError(`Onboarding of '${slug}' took too long and was taken over by another attempt`);
    forgetOrg(deps, slug);
    return result();
  } catch (err) {
    if (err instanceof ConflictError && err.details?.reason === 'slug_taken') throw err;
    const outcome = await undo(deps, { slug, claimId, keyId, datasetId, datasetCreated, now, requestId: ctx.requestId, error: err });
    if (outcome === 'completed') {
      forgetOrg(deps, slug);
      return result();
    }
    throw err;
  }

  function result(): OnboardResult {
    return {
      status: 'SUCCESS',
      org_slug: slug,
      company_name: input.company_name,
      admin_email: input.admin_email,
      org_status: 'ACTIVE',
      subscription_plan: input.subscription_plan,
      default_currency: profile.default_currency,
      default_country: profile.default_country,
      default_language: profile.default_language,
      default_timezone: profile.default_timezone,
      currency_symbol: cur.symbol,
      currency_decimals: cur.decimals,
      created_at: now.toISOString(),
      api_key: apiKey,
      api_key_id: keyId,
      api_key_fingerprint: fingerprintOf(apiKey),
      subscription: { subscription_id: subscriptionId, plan_name: input.subscription_plan, status: 'ACTIVE', ...limits },
      dataset_id: datasetId,
      dataset_created: datasetCreated,
      tables_created: tables.filter((_, i) => made[i]).map((t) => t.name),
      tables_existed: tables.filter((_, i) => !made[i]).map((t) => t.name),
      message: `Organization ${slug} onboarded. Store the API key now: it is not shown again.`,
    };
  }
}

async function slugTaken(deps: AppDeps, slug: string): Promise<ConflictError> {
  const [row] = await deps.warehouse.query({
    sql: `SELECT status, updated_at FROM ${ref(deps.warehouse, 'org_profiles')} WHERE org_slug = @org`,
    params: { org: slug },
  });
  if (row?.status === 'PENDING') {
    const retryAt = Date.parse(String(row.updated_at)) + deps.config.onboardingLeaseMs;
    const retryAfter = Math.max(1, Math.ceil((retryAt - deps.clock().getTime()) / 1000));
    return new ConflictError(`Onboarding of '${slug}' is already in progress`, { reason: 'slug_taken', org_status: 'PENDING', retry_after_seconds: retryAfter });
  }
  return new ConflictError(`Organization '${slug}' already exists`, { reason: 'slug_taken', org_status: row?.status ?? 'UNKNOWN' });
}

/**
 * After a failure: settle the claim as FAILED first. If that finds the claim no longer PENDING
 * but ACTIVE under this attempt, the last write did land and only its answer was lost: the org is
 * complete and the request succeeds. Otherwise undo what this attempt wrote. The dataset and
 * subscription go only while the claim is still this attempt's (a takeover may be using them).
 * If the warehouse is too broken for any of this, the claim's lease frees the slug later.
 */
async function undo(deps: AppDeps, a: { slug: string; claimId: string; keyId: string; datasetId: string; datasetCreated: boolean; now: Date; requestId: string; error: unknown }): Promise<'undone' | 'completed' | 'unknown'> {
  const wh = deps.warehouse;
  let failedNow: boolean;
  try {
    failedNow = await settleClaim(wh, a.slug, a.claimId, 'FAILED', a.now);
  } catch {
    deps.logger.log('ERROR', `onboarding of ${a.slug} failed and could not be rolled back: its claim frees itself after the lease`, { request_id: a.requestId });
    return 'unknown';
  }
  if (!failedNow) {
    const [row] = await wh.query({ sql: `SELECT status, onboarding_claim_id FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org`, params: { org: a.slug } }).catch(() => []);
    if (row?.status === 'ACTIVE' && row.onboarding_claim_id === a.claimId) {
      deps.logger.log('WARNING', `onboarding of ${a.slug}: the final write landed but its answer was lost; treated as done`, { request_id: a.requestId });
      return 'completed';
    }
    return 'unknown';
  }
  const results = await Promise.allSettled([
    wh.execute({ sql: `DELETE FROM ${ref(wh, 'org_api_keys')} WHERE org_api_key_id = @id`, params: { id: a.keyId } }),
    wh.execute({ sql: `DELETE FROM ${ref(wh, 'org_subscriptions')} WHERE org_slug = @org`, params: { org: a.slug } }),
    a.datasetCreated ? wh.dropDataset(a.datasetId) : Promise.resolve(),
    writeAudit(wh, a.now, { orgSlug: a.slug, action: 'ONBOARD', resourceType: 'ORGANIZATION', resourceId: a.slug, status: 'FAILED', requestId: a.requestId, errorMessage: a.error instanceof Error ? a.error.message : String(a.error) }),
  ]);
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) deps.logger.log('ERROR', `onboarding rollback of ${a.slug} incomplete (${failed} steps); the next attempt retires leftovers`, { request_id: a.requestId });
  return 'undone';
}
