import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { llmTarget } from '../llm-target.js';
import { subscriptionView } from './model.js';
import { subscriptionByPlan } from './store.js';

export async function getLlmSubscription(ctx: Ctx, input: { orgSlug: string; provider: string; planName: string }) {
  const { def, dataset } = await llmTarget(ctx, input.orgSlug, input.provider);
  const row = await subscriptionByPlan(ctx.warehouse, dataset, def.canonical, input.planName);
  if (!row) throw new NotFoundError(`No ${def.display_name} subscription '${input.planName}'`);
  return subscriptionView(row);
}
