import type { Ctx } from '../../context/index.js';
import { findVersion } from '../common.js';
import { addDays } from '../../i18n/dates.js';
import { backdateRefused, pastDaysFrom } from './backdate.js';
import { readWithScope } from '../tables.js';
import { endPlans, listPlans } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * DELETE of a plan: ends it (every version) on end_date, default the org's today, its last paid
 * day; the rows stay for history and costs (the original hard-deleted them). Ending a plan that
 * already ends by then changes nothing. An end_date before the org's today takes reported days
 * away: only with `backdate` (else 422), audited as SAAS_PLAN_BACKDATE. Round-trips: read,
 * UPDATE, audit.
 */
export async function endSaasPlan(ctx: Ctx, input: { orgSlug: string; provider: string; subscriptionId: string; endDate?: string; backdate?: boolean }): Promise<{ success: boolean; subscription_id: string; message: string }> {
  const wh = ctx.warehouse;
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(wh, ds, { provider: input.provider }));
  const row = findVersion(rows, input.subscriptionId, input.provider);
  const endDate = input.endDate ?? scope.today;
  const versions = rows.filter((r) => r.plan_id === row.plan_id);
  const repriced = pastDaysFrom(versions, addDays(endDate, 1), scope.today);
  if (repriced && !input.backdate) throw backdateRefused('query.end_date', `end_date ${endDate} is before today (${scope.today})`, repriced);
  const ended = await endPlans(wh, scope.dataset, { planId: row.plan_id, endDate, now: ctx.clock() });
  if (ended === 0) return { success: true, subscription_id: row.subscription_id, message: `The plan already ends by ${endDate}; nothing changed` };
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: repriced ? 'SAAS_PLAN_BACKDATE' : 'SAAS_PLAN_END', resourceType: 'SAAS_PLAN', resourceId: row.plan_id,
    details: { subscription_id: row.subscription_id, end_date: endDate, versions_ended: ended, ...(repriced ? { via: 'end', repriced, before: versions, after: { end_date: endDate } } : {}) },
  });
  return { success: true, subscription_id: row.subscription_id, message: `Plan ended: its last paid day is ${endDate} (kept for history)` };
}
