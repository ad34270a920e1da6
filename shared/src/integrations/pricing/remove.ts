import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { retireModel } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * Deletes a model's price from today on; its past versions stay (they priced past days and
 * as_of still answers them). One MERGE, the audit row.
 */
export async function removePricing(ctx: Ctx, input: { orgSlug: string; provider: string; modelId: string }): Promise<void> {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const retired = await retireModel(ctx.warehouse, dataset, { provider: def.canonical, modelId: input.modelId, today: today, now });
  if (!retired) throw new NotFoundError(`No current ${def.display_name} price for model '${input.modelId}'`);
  await auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_PRICING_DELETE', resourceType: 'LLM_PRICING', resourceId: input.modelId, details: { provider: def.canonical, model_id: input.modelId, versions_ended: retired } });
}
