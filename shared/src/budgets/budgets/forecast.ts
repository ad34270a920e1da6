import type { Ctx } from '../../context/index.js';
import { decimalsOf } from '../../costs/analytics/money.js';
import { resolveScope, WEB_CATEGORIES } from '../../costs/analytics/scope.js';
import { forecastPeriod, type Forecast } from '../../forecast/forecast.js';
import { ledgerProvider } from '../../forecast/known.js';
import type { PlanRow } from '../../saas/plans/store.js';
import { providerMatch, segmentMatch, type CostBasis } from './actuals.js';
import type { Budget } from './fields.js';

/**
 * A monetary or token budget's forecast over its current period, in its own unit, through THE
 * forecasting module: its scope (subtree, category, provider) and currency are the actual's.
 * SaaS plans in scope (subscription and total budgets) are known costs; token budgets forecast
 * input + output tokens.
 */
export async function forecastBudget(ctx: Ctx, b: Budget, period: { start: string; end: string }, basis: CostBasis = 'effective'): Promise<Forecast> {
  const scope = await resolveScope(ctx, {
    orgSlug: b.org_slug, currency: b.currency,
    ...(b.hierarchy_entity_id ? { hierarchy_entity_id: b.hierarchy_entity_id } : {}),
  });
  const matchProvider = providerMatch(b);
  const plansKnown = b.budget_type === 'monetary' && (b.category === 'subscription' || b.category === 'total');
  const planFilter = plansKnown ? (p: PlanRow) => (matchProvider(p.provider) || matchProvider(ledgerProvider(p))) && segmentMatch(p.hierarchy_path, p.hierarchy_entity_id, b) : null;
  return forecastPeriod(ctx, {
    scope, period,
    measure: b.budget_type === 'token' ? 'tokens' : basis === 'billed' ? 'billed_cost' : 'cost',
    ...(b.category === 'total' ? {} : { costCategories: [WEB_CATEGORIES[b.category]!] }),
    ...(b.provider ? { keepProvider: matchProvider } : {}),
    planFilter,
    budget: Number(b.budget_amount),
    decimals: b.budget_type === 'token' ? 0 : decimalsOf(b.currency),
  });
}
