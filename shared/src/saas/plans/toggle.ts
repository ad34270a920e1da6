import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { findVersion } from '../common.js';
import { planStatus, type PlanStatus } from '../status.js';
import { readWithScope } from '../tables.js';
import { listPlans, setEnabled, type PlanRow } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/** An enabled, not cancelled version of another plan of `row`'s name whose dates overlap a version of `row`'s plan (the rule setEnabled applies). */
function clashWith(rows: readonly PlanRow[], row: PlanRow): PlanRow | undefined {
  const versions = rows.filter((r) => r.plan_id === row.plan_id);
  const far = '9999-12-31';
  return rows.find((o) => o.plan_id !== row.plan_id && o.plan_name === row.plan_name && o.is_enabled && !o.cancelled_at
    && versions.some((v) => o.start_date <= (v.end_date ?? far) && (o.end_date ?? far) >= v.start_date));
}

const taken = (clash: PlanRow) => new ConflictError(`Another enabled ${clash.plan_name} plan (${clash.subscription_id}) runs over these dates: end or disable it first`, { reason: 'plan_name_taken', subscription_id: clash.subscription_id });

/**
 * Flips is_enabled of a plan (all its versions) without ending it: a disabled plan is listed
 * and counted nowhere. Switching on a plan while another enabled plan of the same name runs
 * over its dates → 409; the UPDATE itself checks that (see setEnabled), so of two such plans
 * switched on at once one wins and the other gets 409. Round-trips: read, UPDATE, audit (and,
 * when the UPDATE changed nothing, a read that says why).
 */
export async function toggleSaasPlan(ctx: Ctx, input: { orgSlug: string; provider: string; subscriptionId: string }): Promise<{ success: boolean; subscription_id: string; is_enabled: boolean; status: PlanStatus; message: string }> {
  const wh = ctx.warehouse;
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(wh, ds, { provider: input.provider }));
  const row = findVersion(rows, input.subscriptionId, input.provider);
  const enabled = !row.is_enabled;
  const clash = enabled ? clashWith(rows, row) : undefined;
  if (clash) throw taken(clash);
  if (await setEnabled(wh, scope.dataset, { planId: row.plan_id, enabled, now: ctx.clock() }) === 0) {
    const lost = enabled ? clashWith(await listPlans(wh, scope.dataset, { provider: input.provider }), row) : undefined;
    if (lost) throw taken(lost);
    throw new ConflictError('The plan was switched meanwhile: read it again', { reason: 'concurrent_change' });
  }
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PLAN_TOGGLE', resourceType: 'SAAS_PLAN', resourceId: row.plan_id, details: { before: { is_enabled: row.is_enabled }, after: { is_enabled: enabled } } });
  return { success: true, subscription_id: row.subscription_id, is_enabled: enabled, status: planStatus(row, scope.today), message: enabled ? 'Plan enabled: it counts from now on' : 'Plan disabled: listed, counted nowhere' };
}
