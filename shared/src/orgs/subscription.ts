import { forgetOrg } from '../app/deps.js';
import type { Ctx } from '../context.js';
import { NotFoundError } from '../errors.js';
import { writeAudit } from './audit.js';
import { markRevoked } from './keys/store.js';
import { planLimits, type PlanName } from './plans.js';
import { getLiveProfile, getSubscriptionRow, toProfile, type SubscriptionView } from './profile-store.js';
import type { SubscriptionStatus } from './subscription-store.js';
import { ref } from './tables.js';

export async function getSubscription(ctx: Pick<Ctx, 'warehouse'>, input: { orgSlug: string }): Promise<{ org_slug: string; subscription: SubscriptionView }> {
  return { org_slug: input.orgSlug, subscription: await getSubscriptionRow(ctx.warehouse, input.orgSlug) };
}

export interface SubscriptionChange {
  plan_name?: PlanName;
  daily_limit?: number;
  monthly_limit?: number;
  status?: SubscriptionStatus;
}

/**
 * The org's lifecycle that a billing status implies. The two are kept apart (a CANCELLED plan
 * does not free the slug: only DELETE does), but an org whose plan is suspended or cancelled is
 * not served: its keys get 403 until the plan is active again.
 */
export function lifecycleFor(status: SubscriptionStatus): 'ACTIVE' | 'SUSPENDED' {
  return status === 'SUSPENDED' || status === 'CANCELLED' ? 'SUSPENDED' : 'ACTIVE';
}

/**
 * Root: changes plan, limits or billing status. A new plan brings its own limits unless limits
 * are given too. Writes in order: the plan row, then the org's lifecycle and plan name (only if
 * they change), then the audit row with before and after: a failure part-way is retried by
 * sending the same change again, and no audit row describes a change that did not happen.
 */
export async function updateSubscription(ctx: Ctx, input: { orgSlug: string; change: SubscriptionChange }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const { orgSlug, change } = input;
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
  await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET plan_name = @plan_name, status = @status, daily_limit = @daily_limit, monthly_limit = @monthly_limit,
            concurrent_limit = @concurrent_limit, seat_limit = @seat_limit, providers_limit = @providers_limit, max_pipelines_per_day = @daily_limit, updated_at = @now
          WHERE org_slug = @org`,
    params: { ...after, now, org: orgSlug },
    types: { seat_limit: 'INT64', providers_limit: 'INT64' },
  });
  const lifecycle = lifecycleFor(after.status as SubscriptionStatus);
  if (lifecycle !== profile.status || after.plan_name !== profile.subscription_plan) {
    await wh.execute({
      sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = @status, subscription_plan = @plan, updated_at = @now WHERE org_slug = @org AND status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`,
      params: { status: lifecycle, plan: after.plan_name, now, org: orgSlug },
    });
  }
  forgetOrg(ctx, orgSlug);
  await writeAudit(ctx, { orgSlug, action: 'SUBSCRIPTION_UPDATE', resourceType: 'SUBSCRIPTION', resourceId: before.subscription_id, details: { before: { ...pick(before), org_status: profile.status }, after: { ...pick(after), org_status: lifecycle } } })
    .catch((err: unknown) => ctx.logger.log('ERROR', 'subscription updated but its audit row was not written', { request_id: ctx.requestId, error: err }));
  return { org_slug: orgSlug, org_status: lifecycle, before: pick(before), subscription: { ...before, ...after, updated_at: now.toISOString() } };
}

/**
 * Root: soft delete. The first write (status DELETED) is the one that matters: from it on every
 * key of the org is refused (auth joins the org's status) and the slug may be claimed again.
 * Then, in parallel, the key rows are marked revoked, the plan cancelled and, if asked, the
 * dataset dropped; then the audit row. Deleting an org that is already deleted is allowed and
 * repeats those follow-ups, so a failure part-way is fixed by sending the same request again;
 * that is also how an earlier org's kept dataset is dropped before its slug is reused.
 */
export async function deleteOrg(ctx: Ctx, input: { orgSlug: string; deleteDataset: boolean }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const { orgSlug } = input;
  const [row] = await wh.query({
    sql: `SELECT org_slug, company_name, admin_email, org_dataset_id, status, subscription_plan, default_currency, default_country, default_language, default_timezone, created_at, updated_at
          FROM ${ref(wh, 'org_profiles')} WHERE org_slug = @org AND status != 'PENDING' AND status != 'LOCK'`,
    params: { org: orgSlug },
  });
  if (!row) throw new NotFoundError(`Organization '${orgSlug}' not found`);
  const profile = toProfile(row);
  const wasLive = profile.status !== 'DELETED' && profile.status !== 'FAILED';
  if (!wasLive && !input.deleteDataset) throw new NotFoundError(`Organization '${orgSlug}' is already deleted (send "delete_dataset": true to drop its kept dataset)`);
  if (wasLive) {
    await wh.execute({ sql: `UPDATE ${ref(wh, 'org_profiles')} SET status = 'DELETED', deleted_at = @now, updated_at = @now WHERE org_slug = @org AND status IN ('ACTIVE', 'SUSPENDED', 'TRIAL', 'CANCELLED')`, params: { now, org: orgSlug } });
  }
  forgetOrg(ctx, orgSlug);
  const [keys, plan, dataset] = await Promise.allSettled([
    markRevoked(wh, orgSlug, now, null),
    wh.execute({ sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET status = 'CANCELLED', updated_at = @now WHERE org_slug = @org AND status != 'CANCELLED'`, params: { now, org: orgSlug } }),
    input.deleteDataset ? wh.dropDataset(profile.org_dataset_id) : Promise.resolve(),
  ]);
  const incomplete = [keys.status === 'rejected' && 'keys_marked_revoked', plan.status === 'rejected' && 'plan_cancelled', dataset.status === 'rejected' && 'dataset_dropped'].filter((s): s is string => Boolean(s));
  await writeAudit(ctx, {
    orgSlug, action: 'ORG_DELETE', resourceType: 'ORGANIZATION', resourceId: orgSlug,
    details: { before: { status: profile.status }, after: { status: 'DELETED' }, delete_dataset: input.deleteDataset, dataset_dropped: input.deleteDataset && dataset.status === 'fulfilled', incomplete },
  }).catch((err: unknown) => ctx.logger.log('ERROR', 'org deleted but its audit row was not written', { request_id: ctx.requestId, error: err }));
  // The dataset is the one part whose failure the caller must hear about: data may still be there.
  if (dataset.status === 'rejected') throw dataset.reason;
  if (incomplete.length) ctx.logger.log('WARNING', `org ${orgSlug} deleted; follow-ups failed: ${incomplete.join(', ')} (send the request again to finish them)`, { request_id: ctx.requestId });
  return {
    status: 'SUCCESS',
    org_slug: orgSlug,
    org_status: 'DELETED',
    was_already_deleted: !wasLive,
    keys_revoked: keys.status === 'fulfilled' ? keys.value : 0,
    dataset_deleted: input.deleteDataset,
    dataset_id: profile.org_dataset_id,
    message: `Organization ${orgSlug} ${wasLive ? 'deleted' : 'was already deleted'}${input.deleteDataset ? ' with its dataset' : '; its dataset was kept'}.`,
  };
}
