import type { Ctx } from '../../context/index.js';
import { llmTarget } from '../llm-target.js';
import { changeRefused, isRefusal, lostRace, planChange, pricingView, type PricingFields, type Repriced } from './model.js';
import { latestVersions, writeVersions, type PricingRow, type VersionWrite } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

export interface BulkUpdateInput {
  orgSlug: string;
  provider: string;
  /** `backdate` per item: that item may re-price days already reported (see planChange). */
  updates: (PricingFields & { model_id: string; backdate?: boolean })[];
}

/**
 * All or nothing: every item is checked first (its model exists and is current, the change
 * re-prices no day already reported unless the item says `backdate`, dates are in order; a
 * backdated item's days are in the audit row's `changes[].repriced`), and any refusal answers 422 naming each failing
 * item with nothing written. Then every version is written by one MERGE, which is atomic: the
 * changes land together or not at all, and only if every version read is unchanged since (else
 * 409 and nothing written: another change or a DELETE won meanwhile). One read, one MERGE, the
 * audit row.
 */
export async function bulkUpdatePricing(ctx: Ctx, input: BulkUpdateInput) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const problems: Record<string, string[]> = {};
  const refuse = (i: number, modelId: string, message: string) => { (problems[`updates.${i} (${modelId})`] ??= []).push(message); };
  const seen = new Map<string, number>();
  input.updates.forEach((u, i) => {
    if (seen.has(u.model_id)) refuse(i, u.model_id, `model_id also given at updates.${seen.get(u.model_id)}`);
    else seen.set(u.model_id, i);
  });
  const current = await latestVersions(ctx.warehouse, dataset, def.canonical, [...seen.keys()]);
  const writes: VersionWrite[] = [];
  const read: PricingRow[] = [];
  const changed: { before: ReturnType<typeof pricingView>; after: ReturnType<typeof pricingView>; repriced?: Repriced }[] = [];
  input.updates.forEach(({ model_id, backdate, ...change }, i) => {
    if (seen.get(model_id) !== i) return;
    const row = current.get(model_id);
    if (!row || (row.end_date !== null && row.end_date < today)) return refuse(i, model_id, `no current ${def.display_name} price for model '${model_id}'`);
    const plan = planChange(row, change, today, now, backdate ?? false);
    if (isRefusal(plan)) return refuse(i, model_id, plan.field ? `${plan.field}: ${plan.message}` : plan.message);
    read.push(row);
    writes.push({ row: plan.row, op: plan.kind === 'in_place' ? 'update' : 'insert' });
    if (plan.kind === 'new_version') writes.push({ row: plan.ended, op: 'update' });
    changed.push({ before: pricingView(row), after: pricingView(plan.row), ...(plan.repriced ? { repriced: plan.repriced } : {}) });
  });
  if (Object.keys(problems).length) throw changeRefused(problems);
  if (!(await writeVersions(ctx.warehouse, dataset, writes, read))) throw lostRace(def.display_name, read.map((r) => r.model_id));
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_PRICING_BULK_UPDATE', resourceType: 'LLM_PRICING', resourceId: def.canonical, details: { provider: def.canonical, changes: changed } });
  return { org_slug: input.orgSlug, provider: def.canonical, updated_count: changed.length, failed_count: 0, errors: [] as string[], pricing: changed.map((c) => c.after) };
}
