import type { Ctx } from '../../context/index.js';
import { isPaidOn } from '../cost.js';
import { saasCatalog } from '../catalog.js';
import { listPlans } from '../plans/store.js';
import { totals } from '../plans/view.js';
import { readWithScope } from '../tables.js';
import { listProviders } from './store.js';

export interface ProviderSummary {
  provider: string;
  display_name: string;
  category: string;
  is_custom: boolean;
  is_enabled: boolean;
  plan_count: number;
  active_plan_count: number;
  monthly_cost_by_currency: Record<string, string>;
  /** The monthly run-rate as a JSON number in `currency` (the web app's field); null when its plans are in several currencies (monthly_cost_by_currency has each, exact). */
  total_monthly_cost: number | null;
  currency: string | null;
}

/**
 * Every catalog provider plus the org's custom ones, with the org's enablement, plan counts and
 * monthly run-rate per currency. One round-trip: both tables are read at once.
 */
export async function listSaasProviders(ctx: Ctx, input: { orgSlug: string }): Promise<{ providers: ProviderSummary[]; total: number }> {
  const wh = ctx.warehouse;
  const { scope, result: [enabled, plans] } = await readWithScope(ctx, input.orgSlug, (ds) => Promise.all([listProviders(wh, ds), listPlans(wh, ds)]));
  const catalog = saasCatalog();
  // A custom provider is listed from its row, or from its plans (the first plan enables it; its
  // row is written after that plan, so a lost provider write still lists it, enabled).
  const custom = new Set([...enabled.keys(), ...plans.map((p) => p.provider)].filter((p) => !catalog.find(p)));
  const names = [...catalog.providers.map((p) => p.provider), ...[...custom].sort()];
  const providers = names.map((provider): ProviderSummary => {
    const def = catalog.find(provider);
    const row = enabled.get(provider);
    const own = plans.filter((p) => p.provider === provider);
    const sums = totals(own, scope.today, scope.profile.default_currency);
    return {
      provider,
      display_name: row?.display_name ?? def?.display_name ?? provider,
      category: row?.category ?? def?.category ?? 'other',
      is_custom: !def,
      is_enabled: row ? row.is_enabled : own.length > 0,
      plan_count: new Set(own.map((p) => p.plan_id)).size,
      active_plan_count: own.filter((p) => isPaidOn(p, scope.today)).length,
      monthly_cost_by_currency: Object.fromEntries(Object.entries(sums.totals_by_currency).map(([c, t]) => [c, t.monthly])),
      total_monthly_cost: sums.total_monthly_cost,
      currency: sums.currency,
    };
  });
  return { providers, total: providers.length };
}

