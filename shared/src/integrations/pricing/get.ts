import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { pricingView } from './model.js';
import { inForce } from './store.js';

/** One model's price in force on `as_of` (today when absent); 404 when it had none that day. */
export async function getPricing(ctx: Ctx, input: { orgSlug: string; provider: string; modelId: string; as_of?: string }) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const asOf = input.as_of ?? today;
  const row = await inForce(ctx.warehouse, dataset, def.canonical, input.modelId, asOf);
  if (!row) throw new NotFoundError(`No ${def.display_name} price for model '${input.modelId}' on ${asOf}`);
  return pricingView(row);
}
