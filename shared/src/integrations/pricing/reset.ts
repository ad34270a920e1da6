import type { Ctx } from '../../context/index.js';
import { llmTarget } from '../llm-target.js';
import { listPricing } from './list.js';
import { defaultPricing } from './seed.js';
import { replaceWithDefaults } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/**
 * The provider's default prices (configs/llm/seed) become its prices from today; custom models
 * and changed prices end yesterday (history is kept). One MERGE, then the list and the audit
 * row side by side: two sequential round-trips.
 */
export async function resetPricing(ctx: Ctx, input: { orgSlug: string; provider: string }) {
  const { def, dataset, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const defaults = defaultPricing(def, { effectiveDate: today, now });
  const changed = await replaceWithDefaults(ctx.warehouse, dataset, { provider: def.canonical, defaults, today, now });
  const [listed] = await Promise.all([
    listPricing(ctx, { orgSlug: input.orgSlug, provider: input.provider, as_of: today, include_custom: true, limit: 1000, offset: 0 }),
    auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_PRICING_RESET', resourceType: 'LLM_PRICING', resourceId: def.canonical, details: { provider: def.canonical, defaults: defaults.length, rows_changed: changed } }),
  ]);
  return listed;
}
