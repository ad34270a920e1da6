import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { findVersion } from '../common.js';
import { planStatus, type PlanStatus } from '../status.js';
import { readWithScope } from '../tables.js';
import { listPlans, setEnabled } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Flips is_enabled of a plan (all its versions) without ending it: a disabled plan is listed
 * and counted nowhere. Switching on a plan while another enabled plan of the same name runs
 * over its dates → 409. Round-trips: read, UPDATE, audit.
 */
export async function toggleSaasPlan(ctx: Ctx, input: { orgSlug: string; provider: string; subscriptionId: string }): Promise<{ success: boolean; subscription_id: string; is_enabled: boolean; status: PlanStatus; message: string }> {
  const wh = ctx.warehouse;
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(wh, ds, { provider: input.provider }));
  const row = findVersion(rows, input.subscriptionId, input.provider);
  const enabled = !row.is_enabled;
  if (enabled) {
    const versions = rows.filter((r) => r.plan_id === row.plan_id);
    const start = versions.reduce((m, r) => (r.start_date < m ? r.start_date : m), row.start_date);
    const clash = rows.find((o) => o.plan_id !== row.plan_id && o.plan_name === row.plan_name && o.is_enabled && !o.cancelled_at && (o.end_date === null || o.end_date >= start));
    if (clash) throw new ConflictError(`Another enabled ${row.plan_name} plan (${clash.subscription_id}) runs over these dates: end or disable it first`, { reason: 'plan_name_taken', subscription_id: clash.subscription_id });
  }
  if (await setEnabled(wh, scope.dataset, { planId: row.plan_id, enabled, now: ctx.clock() }) === 0) {
    throw new ConflictError('The plan was switched meanwhile: read it again', { reason: 'concurrent_change' });
  }
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'SAAS_PLAN_TOGGLE', resourceType: 'SAAS_PLAN', resourceId: row.plan_id, details: { before: { is_enabled: row.is_enabled }, after: { is_enabled: enabled } } });
  return { success: true, subscription_id: row.subscription_id, is_enabled: enabled, status: planStatus(row, scope.today), message: enabled ? 'Plan enabled: it counts from now on' : 'Plan disabled: listed, counted nowhere' };
}
