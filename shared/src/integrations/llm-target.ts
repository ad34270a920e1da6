import type { Ctx } from '../context/index.js';
import { NotFoundError } from '../errors.js';
import { integrationsOf } from './credentials/check.js';
import { resolveProvider } from './credentials/provider.js';
import { localDate } from '../i18n/dates.js';
import type { ProviderDef } from './registry.js';

/**
 * The LLM provider a pricing or subscriptions path names. A provider that exists but is not an
 * LLM (gcp) has no pricing or subscriptions: 404 like any other missing resource, naming the
 * providers that have them.
 */
export function resolveLlmProvider(ctx: Pick<Ctx, 'config'>, name: string): ProviderDef {
  const def = resolveProvider(ctx, name);
  if (def.category !== 'llm') {
    const llm = integrationsOf(ctx).providers.all.filter((p) => p.category === 'llm').map((p) => p.name);
    throw new NotFoundError(`${def.display_name} is not an LLM provider: it has no model pricing or LLM subscriptions; LLM providers: ${llm.join(', ')}`, { providers: llm });
  }
  return def;
}

/**
 * Where a pricing or subscriptions verb works: the LLM provider, the org's dataset, currency and
 * "today" in the org's own timezone (its profile is cached: no round-trip when warm). Prices and
 * plans take effect from the org's local date, as SaaS plans do.
 */
export async function llmTarget(ctx: Ctx, orgSlug: string, provider: string): Promise<{ def: ProviderDef; dataset: string; currency: string; today: string }> {
  const def = resolveLlmProvider(ctx, provider);
  const profile = await ctx.profiles.get(orgSlug);
  return { def, dataset: profile.org_dataset_id, currency: profile.default_currency, today: localDate(ctx.clock(), profile.default_timezone) };
}
