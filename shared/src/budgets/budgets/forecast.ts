import type { Ctx } from '../../context/index.js';
import { decimalsOf } from '../../costs/analytics/money.js';
import { resolveScope, WEB_CATEGORIES } from '../../costs/analytics/scope.js';
import { forecastPeriod, historyFrom, type Forecast } from '../../forecast/forecast.js';
import { loadDailySeries } from '../../forecast/history.js';
import { ledgerProvider } from '../../forecast/known.js';
import { listPlans, type PlanRow } from '../../saas/plans/store.js';
import { providerMatch, segmentMatch, type CostBasis } from './actuals.js';
import { currentPeriod, type Budget } from './fields.js';

/**
 * The forecasts of an org's monetary and token budgets over their current periods, in each
 * budget's own unit, through THE forecasting module: each budget's scope (subtree, category,
 * provider) and currency are its actual's. SaaS plans in scope (subscription and total budgets)
 * are known costs; token budgets forecast input + output tokens. Budgets of one subtree and
 * currency share one reduction of their history (every category and provider, filtered per
 * budget after), and all share one read of the plans: an org's budgets cost about one forecast.
 */
export async function forecastBudgets(ctx: Ctx, budgets: readonly Budget[], today: string, basis: CostBasis = 'effective'): Promise<Map<string, Forecast>> {
  const todo = budgets.filter((b) => b.budget_type !== 'seat');
  const out = new Map<string, Forecast>();
  if (!todo.length) return out;
  const groups = new Map<string, Budget[]>();
  for (const b of todo) {
    // Token budgets read their own history (tokens travel only in the 15-minute reduction).
    const k = `${b.hierarchy_entity_id ?? ''}\u0000${b.currency}\u0000${b.budget_type === 'token'}`;
    groups.set(k, [...(groups.get(k) ?? []), b]);
  }
  const profile = await ctx.profiles.get(todo[0]!.org_slug);
  const needsPlans = todo.some((b) => b.budget_type === 'monetary' && (b.category === 'subscription' || b.category === 'total'));
  const [plans, ...loaded] = await Promise.all([
    needsPlans ? listPlans(ctx.warehouse, profile.org_dataset_id) : Promise.resolve([] as PlanRow[]),
    ...[...groups.values()].map(async (list) => {
      const b = list[0]!;
      const scope = await resolveScope(ctx, { orgSlug: b.org_slug, currency: b.currency, ...(b.hierarchy_entity_id ? { hierarchy_entity_id: b.hierarchy_entity_id } : {}) });
      const from = list.map((x) => historyFrom(today, currentPeriod(x, today))).sort()[0]!;
      return { list, scope, history: await loadDailySeries(ctx, scope, from, scope.today, { tokens: b.budget_type === 'token' }) };
    }),
  ]);
  for (const { list, scope, history } of loaded) {
    await Promise.all(list.map(async (b) => {
      const matchProvider = providerMatch(b);
      const plansKnown = b.budget_type === 'monetary' && (b.category === 'subscription' || b.category === 'total');
      const f = await forecastPeriod(ctx, {
        scope, period: currentPeriod(b, today),
        measure: b.budget_type === 'token' ? 'tokens' : basis === 'billed' ? 'billed_cost' : 'cost',
        ...(b.category === 'total' ? {} : { costCategories: [WEB_CATEGORIES[b.category]!] }),
        ...(b.provider ? { keepProvider: matchProvider } : {}),
        planFilter: plansKnown ? (p: PlanRow) => (matchProvider(p.provider) || matchProvider(ledgerProvider(p))) && segmentMatch(p.hierarchy_path, p.hierarchy_entity_id, b) : null,
        budget: Number(b.budget_amount),
        decimals: b.budget_type === 'token' ? 0 : decimalsOf(b.currency),
        preloaded: { series: history.series, plans, rates: history.rates.used },
      });
      out.set(b.budget_id, f);
    }));
  }
  return out;
}
