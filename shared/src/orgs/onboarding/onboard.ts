import { randomUUID } from 'node:crypto';
import { forgetOrg, type Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { allSettledOrThrow } from '../../settle.js';
import { countryForCurrency, currency, LOCALE_DEFAULTS } from '../../i18n/index.js';
import { orgTables } from '../../warehouse/schemas.js';
import { writeAudit } from '../audit/store.js';
import { ALL_SCOPES, fingerprintOf, hashOrgApiKey, newOrgApiKey } from '../keys/format.js';
import { encryptForReveal } from '../keys/issue.js';
import { deleteKey, insertKey } from '../keys/store.js';
import { planLimits, type PlanName } from '../plan/limits.js';
import { deletePlan, upsertPlan } from '../plan/store.js';
import { claimSlug, settleClaim } from '../profiles/claim.js';
import { slugHolder } from '../profiles/store.js';
import { slugProblem } from '../slug.js';
import { orgDataset } from '../tables.js';
import { datasetRowCount } from './dataset.js';

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
  /**
   * The slug's dataset already holds rows (an earlier org of this slug was deleted without
   * `delete_dataset`): true attaches this org to them, for the same company coming back.
   * Without it such an onboarding is refused, so a new tenant never sees an old tenant's data.
   */
  restore_dataset?: boolean;
  /** Read by onboardOrRegenerate (onboard-or-regenerate.ts); onboardOrg itself ignores it. */
  regenerate_api_key_if_exists?: boolean;
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
  subscription: { subscription_id: string; plan_name: PlanName; status: 'ACTIVE' | 'TRIAL'; daily_limit: number; monthly_limit: number; concurrent_limit: number; seat_limit: number; providers_limit: number };
  dataset_id: string;
  dataset_created: boolean;
  dataset_restored: boolean;
  tables_created: string[];
  tables_existed: string[];
  /** True only from onboardOrRegenerate: an existing org's keys were replaced, nothing was created. */
  api_key_regenerated: boolean;
  org_api_key_hash: string;
  message: string;
}

/**
 * Onboards an org. Round-trips on the critical path (each line runs its calls in parallel):
 *   1. claim the slug (MERGE, then read back; see claim.ts) | describe, then count, the slug's dataset | encrypt (development only)
 *   2. create the org dataset | upsert the subscription (MERGE) | insert the API key
 *   3. create the 6 org tables
 *   4. mark the claim ACTIVE | audit row
 * The claim starts a fresh key epoch, so keys of the slug's earlier life are dead at once. A
 * dataset that already holds rows belongs to an earlier org of this slug: onboarding refuses
 * (409) unless `restore_dataset` says the caller means that org.
 * Every step is idempotent, so a retry of the same request after a failure completes the org.
 * On failure this attempt undoes what it can (key deleted, subscription removed, a dataset it
 * created dropped, claim marked FAILED) so the slug is free at once; if the warehouse is too
 * broken even for that, the claim's lease expires and the next attempt takes it over.
 */
export async function onboardOrg(ctx: Ctx, input: OnboardInput): Promise<OnboardResult> {
  const deps = ctx;
  const wh = deps.warehouse;
  const now = deps.clock();
  const slug = input.org_slug;
  const problem = slugProblem(slug);
  if (problem) throw new ValidationError(problem, { 'body.org_slug': [problem] });
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
  let datasetRows: number | null = null;
  const tables = orgTables().tables;
  let made: boolean[] = tables.map(() => false);

  try {
    const [claimed, rows, encryptedKey] = await allSettledOrThrow([
      claimSlug(wh, { orgSlug: slug, claimId, now, leaseCutoff: new Date(now.getTime() - deps.config.onboardingLeaseMs), profile }),
      datasetRowCount(wh, datasetId),
      encryptForReveal(deps, slug, apiKey),
    ]);
    if (!claimed) throw await slugTaken(ctx, slug);
    datasetRows = rows;
    if (rows && !input.restore_dataset) {
      throw new ConflictError(
        `Dataset ${datasetId} still holds ${rows} rows of an earlier organization '${slug}'. Either drop it first (DELETE /api/v1/organizations/${slug} with "delete_dataset": true) or, if this is the same company coming back, onboard with "restore_dataset": true.`,
        { reason: 'dataset_has_data', dataset_id: datasetId, rows, choices: ['delete_dataset', 'restore_dataset'] },
      );
    }

    // Settled one by one: a dataset this attempt created must be dropped on rollback even when a sibling write failed.
    const step2 = await Promise.allSettled([
      wh.createDataset(datasetId),
      upsertPlan(wh, { subscriptionId, orgSlug: slug, orgId: claimId, plan: input.subscription_plan, status: 'ACTIVE', limits, now }),
      insertKey(wh, { id: keyId, orgSlug: slug, orgId: claimId, apiKey, encrypted: encryptedKey, scopes: [...ALL_SCOPES], description: 'Primary key, issued at onboarding', expiresAt: null, keyEpoch: claimId, now }),
    ]);
    if (step2[0].status === 'fulfilled') datasetCreated = step2[0].value;
    for (const r of step2) if (r.status === 'rejected') throw r.reason;

    made = await allSettledOrThrow(tables.map((t) => wh.createTable(datasetId, t)));

    const [settled] = await allSettledOrThrow([
      settleClaim(wh, slug, claimId, 'ACTIVE', now),
      // The org is complete once settled: a lost audit row is logged, not turned into a failure.
      writeAudit(ctx, { orgSlug: slug, orgId: claimId, action: 'ONBOARD', resourceType: 'ORGANIZATION', resourceId: slug, details: { plan: input.subscription_plan, dataset_id: datasetId, api_key_id: keyId, dataset_restored: Boolean(datasetRows) } })
        .catch((err: unknown) => deps.logger.log('ERROR', `onboarding of ${slug}: audit row not written`, { request_id: ctx.requestId, error: err })),
    ]);
    if (!settled) throw new ConflictError(`Onboarding of '${slug}' took too long and was taken over by another attempt`);
    forgetOrg(deps, slug);
    return result();
  } catch (err) {
    if (err instanceof ConflictError && err.details?.reason === 'slug_taken') throw err;
    const outcome = await undo(ctx, { slug, claimId, keyId, datasetId, datasetCreated, now, error: err });
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
      dataset_restored: Boolean(datasetRows),
      tables_created: tables.filter((_, i) => made[i]).map((t) => t.name),
      tables_existed: tables.filter((_, i) => !made[i]).map((t) => t.name),
      api_key_regenerated: false,
      org_api_key_hash: hashOrgApiKey(apiKey),
      message: `Organization ${slug} onboarded. Store the API key now: it is not shown again.`,
    };
  }
}

async function slugTaken(deps: Ctx, slug: string): Promise<ConflictError> {
  const row = await slugHolder(deps.warehouse, slug);
  if (row?.status === 'PENDING') {
    const retryAt = Date.parse(String(row.updated_at)) + deps.config.onboardingLeaseMs;
    const retryAfter = Math.max(1, Math.ceil((retryAt - deps.clock().getTime()) / 1000));
    return new ConflictError(`Onboarding of '${slug}' is already in progress`, { reason: 'slug_taken', org_status: 'PENDING', retry_after_seconds: retryAfter }, { retryAfterSeconds: retryAfter });
  }
  // The web app recovers from this 409 only when its detail names the status in single quotes
  // ("already exists with status 'ACTIVE'"): it then retries with regenerate_api_key_if_exists.
  const status = row?.status ?? 'UNKNOWN';
  return new ConflictError(
    `Organization '${slug}' already exists with status '${status}'${status === 'ACTIVE' ? '. To issue it a new API key (all its keys are revoked), send the same request with "regenerate_api_key_if_exists": true' : ''}`,
    { reason: 'slug_taken', org_status: status },
  );
}

/**
 * After a failure: settle the claim as FAILED first. If that finds the claim no longer PENDING
 * but ACTIVE under this attempt, the last write did land and only its answer was lost: the org is
 * complete and the request succeeds. Otherwise undo what this attempt wrote. The dataset and
 * subscription go only while the claim is still this attempt's (a takeover may be using them).
 * If the warehouse is too broken for any of this, the claim's lease frees the slug later.
 */
async function undo(ctx: Ctx, a: { slug: string; claimId: string; keyId: string; datasetId: string; datasetCreated: boolean; now: Date; error: unknown }): Promise<'undone' | 'completed' | 'unknown'> {
  const deps = ctx;
  const wh = deps.warehouse;
  const requestId = ctx.requestId;
  let failedNow: boolean;
  try {
    failedNow = await settleClaim(wh, a.slug, a.claimId, 'FAILED', a.now);
  } catch {
    deps.logger.log('ERROR', `onboarding of ${a.slug} failed and could not be rolled back: its claim frees itself after the lease`, { request_id: requestId });
    return 'unknown';
  }
  if (!failedNow) {
    const row = await slugHolder(wh, a.slug).catch(() => undefined);
    if (row?.status === 'ACTIVE' && row.onboarding_claim_id === a.claimId) {
      deps.logger.log('WARNING', `onboarding of ${a.slug}: the final write landed but its answer was lost; treated as done`, { request_id: requestId });
      return 'completed';
    }
    return 'unknown';
  }
  const results = await Promise.allSettled([
    deleteKey(wh, a.keyId),
    deletePlan(wh, a.slug),
    a.datasetCreated ? wh.dropDataset(a.datasetId) : Promise.resolve(),
    writeAudit(ctx, { orgSlug: a.slug, action: 'ONBOARD', resourceType: 'ORGANIZATION', resourceId: a.slug, status: 'FAILED', errorMessage: a.error instanceof Error ? a.error.message : String(a.error) }),
  ]);
  const failed = results.filter((r) => r.status === 'rejected').length;
  if (failed) deps.logger.log('ERROR', `onboarding rollback of ${a.slug} incomplete (${failed} steps); the next attempt retires leftovers`, { request_id: requestId });
  return 'undone';
}
