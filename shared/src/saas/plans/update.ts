import type { Ctx } from '../../context/index.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { findVersion } from '../common.js';
import { addDays } from '../../i18n/dates.js';
import { backdateRefused, pastDaysFrom, type Repriced } from './backdate.js';
import { readWithScope } from '../tables.js';
import { differs, IN_PLACE_FIELDS, PRICE_FIELDS, type PriceFields } from './fields.js';
import { endPlans, listPlans, reopen, updateInPlace, type InPlaceFields, type PlanRow } from './store.js';
import { planView, type PlanView } from './view.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { placeOnHierarchy } from './hierarchy.js';

export type UpdatePlanInput = PriceFields & InPlaceFields & {
  orgSlug: string;
  provider: string;
  subscriptionId: string;
  /** `cancelled` ends the plan (on end_date, default today); `active` re-opens a cancelled one. */
  status?: 'active' | 'cancelled';
  end_date?: string;
  /** Let a cancel's end_date before the org's today take reported days away (see backdate.ts). */
  backdate?: boolean;
};

/**
 * PUT of a plan version: names, owner and contract details in place; `status: cancelled` ends
 * the plan, `status: active` re-opens a cancelled one (the web app's end and toggle actions send
 * exactly these). A change of anything that is paid is refused (422) and pointed at
 * edit-version, so history is never rewritten; the same values resent are not a change.
 * Round-trips: read, then the in-place UPDATE | the end or re-open UPDATE, then the audit row.
 */
export async function updateSaasPlan(ctx: Ctx, sent: UpdatePlanInput): Promise<{ success: boolean; plan: PlanView; message: string }> {
  // The hierarchy fields as the current tree has them (or a 422), before anything is read or written.
  const input = await placeOnHierarchy(ctx, sent.orgSlug, sent);
  const wh = ctx.warehouse;
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(wh, ds, { provider: input.provider }));
  const row = findVersion(rows, input.subscriptionId, input.provider);
  const paid = PRICE_FIELDS.filter((f) => differs(f, input[f], row[f]));
  if (paid.length) {
    throw new ValidationError(`${paid.join(', ')} change what is paid: use POST .../plans/${row.subscription_id}/edit-version with an effective_date, so history is kept`,
      Object.fromEntries(paid.map((f) => [`body.${f}`, ['changes what is paid: use edit-version']])));
  }
  if (input.end_date !== undefined && input.status !== 'cancelled') throw new ValidationError('end_date goes with status cancelled (use DELETE, or edit-version for a fixed term)', { 'body.end_date': ['only with status cancelled'] });
  // Checked before anything is written: a cancel that would take reported days away needs backdate.
  const cancelEnd = input.status === 'cancelled' ? input.end_date ?? scope.today : undefined;
  const repriced: Repriced | undefined = cancelEnd === undefined ? undefined : pastDaysFrom(rows.filter((r) => r.plan_id === row.plan_id), addDays(cancelEnd, 1), scope.today);
  if (repriced && !input.backdate) throw backdateRefused('body.end_date', `end_date ${cancelEnd} is before today (${scope.today})`, repriced);
  // Refused before anything is written (an in-place write started first would land anyway).
  if (input.status === 'active' && row.cancelled_at && row.superseded_by) throw new ConflictError('Only the latest version of a plan can be re-opened', { reason: 'not_latest_version' });
  const set: InPlaceFields = Object.fromEntries(IN_PLACE_FIELDS.filter((f) => input[f] !== undefined).map((f) => [f, input[f]]));
  const now = ctx.clock();
  const at = now.toISOString();
  let after: PlanRow = { ...row, ...set, ...(Object.keys(set).length ? { updated_at: at, revision: row.revision + 1 } : {}) };
  let message = 'Plan updated';

  const writes: Promise<unknown>[] = [];
  if (Object.keys(set).length) writes.push(updateInPlace(wh, scope.dataset, { id: row.subscription_id, set, now }));
  if (input.status === 'cancelled') {
    const endDate = input.end_date ?? scope.today;
    writes.push(endPlans(wh, scope.dataset, { planId: row.plan_id, endDate, now }));
    if (row.end_date === null || row.end_date > endDate) after = { ...after, end_date: endDate, cancelled_at: row.cancelled_at ?? at, updated_at: at };
    message = `Plan cancelled: its last paid day is ${after.end_date}`;
  } else if (input.status === 'active' && row.cancelled_at) {
    writes.push(reopen(wh, scope.dataset, { id: row.subscription_id, revision: row.revision, now }).then((n) => {
      if (n === 0) throw new ConflictError(`Not re-opened: another enabled ${row.plan_name} plan of ${row.provider} runs over these dates, or the plan changed meanwhile`, { reason: 'plan_name_taken' });
    }));
    after = { ...after, end_date: null, cancelled_at: null, updated_at: at };
    message = 'Plan re-opened';
  }
  await Promise.all(writes);
  if (writes.length) {
    await auditAfter(ctx, {
      orgSlug: input.orgSlug, action: repriced ? 'SAAS_PLAN_BACKDATE' : 'SAAS_PLAN_UPDATE', resourceType: 'SAAS_PLAN', resourceId: row.plan_id,
      details: { subscription_id: row.subscription_id, before: row, after, ...(repriced ? { via: 'update', repriced } : {}) },
    });
  } else {
    message = 'Nothing to change';
  }
  return { success: true, plan: planView(after, scope.today), message };
}
