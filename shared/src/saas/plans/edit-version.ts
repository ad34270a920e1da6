import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { findVersion, invalid } from '../common.js';
import { backdateRefused, pastDaysFrom } from './backdate.js';
import { addDays } from '../../i18n/dates.js';
import { readWithScope } from '../tables.js';
import { checkDiscount, differs, IN_PLACE_FIELDS, inPlaceDiffers, PRICE_FIELDS, type PriceFields } from './fields.js';
import { insertLinkedSuccessor, listPlans, supersede, supersededBy, type InPlaceFields, type NewPlanRow, type PlanRow } from './store.js';
import { planView, type PlanView } from './view.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { placeOnHierarchy } from './hierarchy.js';

export type EditVersionInput = PriceFields & InPlaceFields & {
  orgSlug: string;
  provider: string;
  subscriptionId: string;
  effective_date: string;
  /** Let an effective_date before the org's today re-price the days already reported (see backdate.ts). */
  backdate?: boolean;
  /** The web app's edit form sends the plan's status back; status is computed from dates, so it is ignored. */
  status?: string;
};

/**
 * Changes a plan from a date without rewriting history: the current version ends the day before
 * `effective_date`, and a new version (new subscription_id, same plan_id, version + 1) carries
 * the change from that date. An effective_date before the org's today re-prices reported days:
 * only with `backdate` (else 422), audited as SAAS_PLAN_BACKDATE. Round-trips, sequential: (1) read the provider's plans | the org's
 * profile, (2) ONE MERGE that closes the current version and inserts the next only if the
 * current one is still the latest and unchanged since (1) (see `supersede` in store.ts for why
 * that holds on BigQuery without constraints), (3) the audit row. Of concurrent edits of one plan
 * exactly one wins; the others get 409 and write nothing. A MERGE whose answer is lost is
 * settled by reading the current version's successor link back.
 */
export async function editPlanVersion(ctx: Ctx, sent: EditVersionInput): Promise<{ success: boolean; new_plan: PlanView; old_plan: PlanView; message: string }> {
  // The hierarchy fields as the current tree has them (or a 422), before anything is read or written.
  const input = await placeOnHierarchy(ctx, sent.orgSlug, sent);
  const wh = ctx.warehouse;
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(wh, ds, { provider: input.provider }));
  const current = findVersion(rows, input.subscriptionId, input.provider);
  if (current.superseded_by) {
    const latest = rows.filter((r) => r.plan_id === current.plan_id).sort((a, b) => b.version - a.version)[0]!;
    throw new ConflictError(`Version ${current.version} is not the plan's latest; edit version ${latest.version} (${latest.subscription_id})`, { reason: 'not_latest_version', latest_subscription_id: latest.subscription_id, latest_version: latest.version });
  }
  if (current.cancelled_at) throw new ConflictError('The plan is cancelled: re-open it (PUT with status active) before changing it', { reason: 'plan_cancelled' });
  if (input.effective_date <= current.start_date) throw invalid('effective_date', `effective_date must be after the current version's start_date ${current.start_date}`);
  if (current.end_date !== null && input.effective_date > current.end_date) throw invalid('effective_date', `the plan ends on ${current.end_date}, before effective_date`);
  const repriced = pastDaysFrom([current], input.effective_date, scope.today);
  if (repriced && !input.backdate) throw backdateRefused('body.effective_date', `effective_date ${input.effective_date} is before today (${scope.today})`, repriced);

  const changed = [
    ...PRICE_FIELDS.filter((f) => differs(f, input[f], current[f])),
    ...IN_PLACE_FIELDS.filter((f) => inPlaceDiffers(input[f], current[f])),
  ];
  if (!changed.length) throw invalid('effective_date', 'Nothing to change: give at least one field whose value differs from the current version');

  const now = ctx.clock();
  const { created_at: _c, updated_at: _u, cancelled_at: _x, superseded_by: _s, revision: _r, ...base } = current;
  const { backdate: _b, status: _st, ...change } = input;
  const pick = <K extends keyof NewPlanRow>(k: K): NewPlanRow[K] => (change[k as keyof typeof change] !== undefined ? change[k as keyof typeof change] : base[k as keyof typeof base]) as NewPlanRow[K];
  const next: NewPlanRow = {
    ...base,
    ...Object.fromEntries([...PRICE_FIELDS, ...IN_PLACE_FIELDS].map((f) => [f, pick(f)])),
    subscription_id: randomUUID(),
    version: current.version + 1,
    start_date: input.effective_date,
    end_date: current.end_date,
    created_by: actorId(ctx.actor) ?? null,
    now,
  };
  if (next.pricing_model === 'PER_SEAT' && next.seats < 0) throw invalid('seats', 'seats must be 0 or more');
  checkDiscount(next);
  const currentEnd = addDays(input.effective_date, -1);

  let won: boolean;
  try {
    const changedRows = await supersede(wh, scope.dataset, { currentId: current.subscription_id, revision: current.revision, currentEnd, next, now });
    won = changedRows > 0;
    if (changedRows === 1) {
      ctx.logger.log('ERROR', 'edit-version: the MERGE linked the successor without inserting it; inserting it now', { request_id: ctx.requestId, plan_id: current.plan_id });
      await insertLinkedSuccessor(wh, scope.dataset, next);
    }
  } catch (err) {
    // The MERGE may have committed with its answer lost: the current version's link says who won.
    const link = await supersededBy(wh, scope.dataset, current.subscription_id).catch(() => undefined);
    if (link?.successor !== next.subscription_id) throw err;
    if (!link.present) await insertLinkedSuccessor(wh, scope.dataset, next);
    won = true;
  }
  if (!won) {
    throw new ConflictError('The plan changed while this edit was being made (another edit-version or update won): read it again and resend', { reason: 'concurrent_change' });
  }
  const at = now.toISOString();
  const oldRow: PlanRow = { ...current, end_date: currentEnd, superseded_by: next.subscription_id, revision: current.revision + 1, updated_at: at };
  const { now: _n, ...nextStored } = next;
  const newRow: PlanRow = { ...nextStored, superseded_by: null, revision: 0, cancelled_at: null, created_at: at, updated_at: at };
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: repriced ? 'SAAS_PLAN_BACKDATE' : 'SAAS_PLAN_EDIT_VERSION', resourceType: 'SAAS_PLAN', resourceId: current.plan_id,
    details: { before: current, after: newRow, changed, effective_date: input.effective_date, ...(repriced ? { via: 'edit-version', repriced } : {}) },
  });
  return {
    success: true,
    new_plan: planView(newRow, scope.today),
    old_plan: planView(oldRow, scope.today),
    message: `Version ${newRow.version} of ${current.plan_name} takes effect on ${input.effective_date}; version ${current.version} ends on ${currentEnd}`,
  };
}
