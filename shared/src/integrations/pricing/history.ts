import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { pricingView } from './model.js';
import { versions } from './store.js';

/** Every version of a model's price, oldest first (ended ones included). */
export async function pricingHistory(ctx: Ctx, input: { orgSlug: string; provider: string; modelId: string }) {
  const { def, dataset } = await llmTarget(ctx, input.orgSlug, input.provider);
  const rows = await versions(ctx.warehouse, dataset, def.canonical, input.modelId);
  if (!rows.length) throw new NotFoundError(`No ${def.display_name} pricing for model '${input.modelId}'`);
  return { org_slug: input.orgSlug, provider: def.canonical, model_id: input.modelId, versions: rows.map(pricingView), count: rows.length };
}
