import type { Ctx } from '../../context/index.js';
import { llmTarget } from '../llm-target.js';
import { subscriptionView } from './model.js';
import { listSubscriptionRows } from './store.js';

export interface ListSubscriptionsInput {
  orgSlug: string;
  provider: string;
  is_enabled?: boolean;
  include_custom: boolean;
  limit: number;
  offset: number;
}

/** The provider's LLM subscriptions: one warehouse round-trip (the org's profile is cached). */
export async function listLlmSubscriptions(ctx: Ctx, input: ListSubscriptionsInput) {
  const { def, dataset } = await llmTarget(ctx, input.orgSlug, input.provider);
  const rows = await listSubscriptionRows(ctx.warehouse, dataset, {
    provider: def.canonical, includeCustom: input.include_custom, limit: input.limit, offset: input.offset,
    ...(input.is_enabled === undefined ? {} : { isEnabled: input.is_enabled }),
  });
  return { org_slug: input.orgSlug, provider: def.canonical, subscriptions: rows.map(subscriptionView), count: rows.length };
}
