import { forgetOrg, type AppDeps } from '../app/deps.js';
import { NotFoundError } from '../errors.js';
import { writeAudit } from './audit.js';
import { planLimits, type PlanName } from './plans.js';
import { getLiveProfile, getSubscriptionRow, type SubscriptionView } from './profile-store.js';
import type { SubscriptionStatus } from './subscription-store.js';
import { ref } from './tables.js';

export async function getSubscription(deps: AppDeps, orgSlug: string): Promise<{ org_slug: string; subscription: SubscriptionView }> {
  return { org_slug: orgSlug, subscription: await getSubscriptionRow(deps.warehouse, orgSlug) };
}

export interface SubscriptionChange {
  plan_name?: PlanName;
  daily_limit?: number;
  monthly_limit?: number;
  status?: SubscriptionStatus;
}

/**
 * Root: changes plan, limits or status. A new plan brings its own limits unless limits are given
 * too. The org's status follows the subscription's (a SUSPENDED subscription suspends the org's
 * keys). Audited with the values before and after.
 */
export async function updateSubscription(deps: AppDeps, orgSlug: string, change: SubscriptionChange, requestId: string) {
  const wh = deps.warehouse;
  const now = deps.clock();
  const [profile, before] = await Promise.all([getLiveProfile(wh, orgSlug), getSubscriptionRow(wh, orgSlug)]);
  const planDefaults = change.plan_name ? planLimits(change.plan_name) : undefined;
  const after = {
    plan_name: change.plan_name ?? before.plan_name,
    status: change.status ?? before.status,
    daily_limit: change.daily_limit ?? planDefaults?.daily_limit ?? before.daily_limit,
    monthly_limit: change.monthly_limit ?? planDefaults?.monthly_limit ?? before.monthly_limit,
    concurrent_limit: planDefaults?.concurrent_limit ?? before.concurrent_limit,
    seat_limit: planDefaults?.seat_limit ?? before.seat_limit,
    providers_limit: planDefaults?.providers_limit ?? before.providers_limit,
  };
  const pick = (s: typeof after | SubscriptionView) => ({ plan_name: s.plan_name, status: s.status, daily_limit: s.daily_limit, monthly_limit: s.monthly_limit, concurrent_limit: s.concurrent_limit, seat_limit: s.seat_limit, providers_limit: s.providers_limit });
  const updates = [
    wh.execute({
      sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET plan_name = @plan_name, status = @status, daily_limit = @daily_limit, monthly_limit = @monthly_limit,
              concurrent_limit = @concurrent_limit, seat_limit = @seat_limit, providers_limit = @providers_limit, max_pipelines_per_day = @daily_limit, updated_at = @now
            WHERE org_slug = @org`,
      params: { ...after, seat_limit: after.seat_limit, providers_limit: after.providers_limit, now, org: orgSlug },
      types: { seat_limit: 'INT64', providers_limit: 'INT64' },
    }),
    writeAudit(wh, now, { orgSlug, action: 'SUBSCRIPTION_UPDATE', resourceType: 'SUBSCRIPTION', resourceId: before.subscription_id, requestId, details: { before: pick(before), after: pick(after) } }),
  ];
  if (after.status !== profile.status || after.plan_name !== profile.subscription_plan) {
    updates.push(wh.execute({
      sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = @status, subscription_plan = @plan, updated_at = @now WHERE org_slug = @org`,
      params: { status: after.status, plan: after.plan_name, now, org: orgSlug },
    }));
  }
  await Promise.all(updates);
  forgetOrg(deps, orgSlug);
  return { org_slug: orgSlug, before: pick(before), subscription: { ...before, ...after, updated_at: now.toISOString() } };
}

/** Root: soft delete. Keys die at once (and on this instance's cache); the dataset goes only if asked. */
export async function deleteOrg(deps: AppDeps, orgSlug: string, opts: { deleteDataset: boolean }, requestId: string) {
  const wh = deps.warehouse;
  const now = deps.clock();
  const profile = await getLiveProfile(wh, orgSlug).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw new NotFoundError(`Organization '${orgSlug}' not found or already deleted`);
    throw err;
  });
  forgetOrg(deps, orgSlug);
  const [, keys] = await Promise.all([
    wh.execute({ sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = 'DELETED', deleted_at = @now, updated_at = @now WHERE org_slug = @org`, params: { now, org: orgSlug } }),
    wh.execute({ sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_slug = @org AND is_active`, params: { now, org: orgSlug } }),
    wh.execute({ sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET status = 'CANCELLED', updated_at = @now WHERE org_slug = @org`, params: { now, org: orgSlug } }),
    opts.deleteDataset ? wh.dropDataset(profile.org_dataset_id) : Promise.resolve(),
    writeAudit(wh, now, { orgSlug, action: 'ORG_DELETE', resourceType: 'ORGANIZATION', resourceId: orgSlug, requestId, details: { delete_dataset: opts.deleteDataset } }),
  ]);
  // Again after the writes: a request that cached a key between forgetOrg and the UPDATE is dropped too.
  forgetOrg(deps, orgSlug);
  return {
    status: 'SUCCESS',
    org_slug: orgSlug,
    org_status: 'DELETED',
    keys_revoked: keys.affectedRows,
    dataset_deleted: opts.deleteDataset,
    dataset_id: profile.org_dataset_id,
    message: `Organization ${orgSlug} deleted${opts.deleteDataset ? ' with its dataset' : '; its dataset was kept'}.`,
  };
}
