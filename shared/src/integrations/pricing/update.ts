import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { changeRefused, isRefusal, lostRace, planChange, pricingView, type PricingFields } from './model.js';
import { latestVersions, writeVersions, type VersionWrite } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Changes a model's price (see planChange: a price change adds a version, the one before ends
 * the day before; a day already reported is re-priced only with `backdate`, and then audited as
 * LLM_PRICING_BACKDATE with the days, before and after). One read, one MERGE that writes
 * the new version and ends the old one together only if the version read is unchanged (else
 * 409: another change or a DELETE won meanwhile), the audit row.
 */
export async function updatePricing(ctx: Ctx, input: { orgSlug: string; provider: string; modelId: string; change: PricingFields; backdate?: boolean }) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const current = (await latestVersions(ctx.warehouse, dataset, def.canonical, [input.modelId])).get(input.modelId);
  if (!current || (current.end_date !== null && current.end_date < today)) throw new NotFoundError(`No current ${def.display_name} price for model '${input.modelId}'`);
  const plan = planChange(current, input.change, today, now, input.backdate ?? false);
  if (isRefusal(plan)) throw changeRefused({ [plan.field ? `body.${plan.field}` : input.modelId]: [plan.message] });
  const writes: VersionWrite[] = plan.kind === 'in_place' ? [{ row: plan.row, op: 'update' }] : [{ row: plan.row, op: 'insert' }, { row: plan.ended, op: 'update' }];
  if (!(await writeVersions(ctx.warehouse, dataset, writes, [current]))) throw lostRace(def.display_name, [input.modelId]);
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: plan.repriced ? 'LLM_PRICING_BACKDATE' : 'LLM_PRICING_UPDATE', resourceType: 'LLM_PRICING', resourceId: plan.row.pricing_id,
    details: { provider: def.canonical, model_id: input.modelId, kind: plan.kind, ...(plan.repriced ? { repriced: plan.repriced } : {}), before: pricingView(current), after: pricingView(plan.row) },
  });
  return pricingView(plan.row);
}
