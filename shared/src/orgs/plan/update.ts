import { forgetOrg, type Ctx } from '../../context/index.js';
import { auditAfter } from '../audit/store.js';
import { getLiveProfile, setLifecycle } from '../profiles/store.js';
import { planLimits, type PlanName } from './limits.js';
import { getPlan, updatePlanRow, type BillingStatus, type PlanView } from './store.js';

export interface PlanChangeInput {
  plan_name?: PlanName;
  daily_limit?: number;
  monthly_limit?: number;
  status?: BillingStatus;
}

/**
 * The org's lifecycle that a billing status implies. The two are kept apart (a CANCELLED plan
 * does not free the slug: only DELETE does), but an org whose plan is suspended or cancelled is
 * not served: its keys get 403 until the plan is active again.
 */
export function lifecycleFor(status: BillingStatus): 'ACTIVE' | 'SUSPENDED' {
  return status === 'SUSPENDED' || status === 'CANCELLED' ? 'SUSPENDED' : 'ACTIVE';
}

/**
 * Root: changes plan, limits or billing status. A new plan brings its own limits unless limits
 * are given too. Writes in order: the plan row, then the org's lifecycle and plan name (only if
 * they change), then the audit row with before and after: a failure part-way is retried by
 * sending the same change again, and no audit row describes a change that did not happen.
 */
export async function updatePlan(ctx: Ctx, input: { orgSlug: string; change: PlanChangeInput }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const { orgSlug, change } = input;
  const [profile, before] = await Promise.all([getLiveProfile(wh, orgSlug), getPlan(wh, orgSlug)]);
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
  const pick = (s: typeof after | PlanView) => ({ plan_name: s.plan_name, status: s.status, daily_limit: s.daily_limit, monthly_limit: s.monthly_limit, concurrent_limit: s.concurrent_limit, seat_limit: s.seat_limit, providers_limit: s.providers_limit });
  await updatePlanRow(wh, orgSlug, after, now);
  const lifecycle = lifecycleFor(after.status as BillingStatus);
  if (lifecycle !== profile.status || after.plan_name !== profile.subscription_plan) {
    await setLifecycle(wh, { orgSlug, status: lifecycle, plan: after.plan_name, now });
  }
  forgetOrg(ctx, orgSlug);
  await auditAfter(ctx, { orgSlug, orgId: profile.org_id, action: 'SUBSCRIPTION_UPDATE', resourceType: 'SUBSCRIPTION', resourceId: before.subscription_id, details: { before: { ...pick(before), org_status: profile.status }, after: { ...pick(after), org_status: lifecycle } } });
  return { org_slug: orgSlug, org_status: lifecycle, before: pick(before), subscription: { ...before, ...after, updated_at: now.toISOString() } };
}

