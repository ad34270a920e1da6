import type { Ctx } from '../../context/index.js';
import { llmTarget } from '../llm-target.js';
import { pricingView } from './model.js';
import { listInForce } from './store.js';

export interface ListPricingInput {
  orgSlug: string;
  provider: string;
  /** The day whose prices are wanted; today (UTC) when absent. */
  as_of?: string;
  is_enabled?: boolean;
  include_custom: boolean;
  limit: number;
  offset: number;
}

/** The provider's models at the price in force on `as_of`: one warehouse round-trip (the org's profile is cached). */
export async function listPricing(ctx: Ctx, input: ListPricingInput) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const asOf = input.as_of ?? today;
  const rows = await listInForce(ctx.warehouse, dataset, {
    provider: def.canonical, asOf, includeCustom: input.include_custom, limit: input.limit, offset: input.offset,
    ...(input.is_enabled === undefined ? {} : { isEnabled: input.is_enabled }),
  });
  return { org_slug: input.orgSlug, provider: def.canonical, as_of: asOf, pricing: rows.map(pricingView), count: rows.length };
}
