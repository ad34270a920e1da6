import type { Ctx } from '../../context/index.js';
import { llmTarget } from '../llm-target.js';
import { listLlmSubscriptions } from './list.js';
import { defaultSubscriptions } from './seed.js';
import { replaceSubscriptionsWithDefaults } from './store.js';
import { auditAfter } from '../../orgs/audit/store.js';

/** The provider's plans become the defaults (configs/llm/seed/llm_default_subscriptions.csv): one MERGE, then the list beside the audit row. */
export async function resetLlmSubscriptions(ctx: Ctx, input: { orgSlug: string; provider: string }) {
  const { def, dataset, currency, today } = await llmTarget(ctx, input.orgSlug, input.provider);
  const now = ctx.clock();
  const defaults = defaultSubscriptions(def, { currency, today: today, now });
  const changed = await replaceSubscriptionsWithDefaults(ctx.warehouse, dataset, def.canonical, defaults);
  const [listed] = await Promise.all([
    listLlmSubscriptions(ctx, { orgSlug: input.orgSlug, provider: input.provider, include_custom: true, limit: 1000, offset: 0 }),
    auditAfter(ctx, { orgSlug: input.orgSlug, action: 'LLM_SUBSCRIPTION_RESET', resourceType: 'LLM_SUBSCRIPTION', resourceId: def.canonical, details: { provider: def.canonical, defaults: defaults.length, rows_changed: changed } }),
  ]);
  return listed;
}
