import type { Ctx } from '../context/index.js';
import { decimalsOf } from '../costs/analytics/money.js';
import type { Scope } from '../costs/analytics/scope.js';
import type { PlanRow } from '../saas/plans/store.js';
import { firstDayOfMonth, lastDayOfMonth } from './backtest.js';
import { forecastPeriod, type Forecast } from './forecast.js';
import { ledgerProvider } from './known.js';

/** Whether a plan is in a cost scope's hierarchy filters (the ledger's rule: whole path segments). */
function inHierarchy(p: PlanRow, h: NonNullable<Scope['hierarchy']>): boolean {
  const path = `${p.hierarchy_path ?? ''}/`;
  return (h.entityIds ?? []).every((id) => p.hierarchy_entity_id === id || path.includes(`/${id}/`))
    && (h.paths ?? []).every((x) => path.startsWith(`${x.replace(/\/+$/, '')}/`))
    && (h.level1 === undefined || path.startsWith(`/${h.level1}/`));
}

/**
 * The month-end forecast of a cost view's scope (/costs/{org}/summary's forecast_month_end):
 * the org's local month containing today, in the scope's currency, with its filters. SaaS plans
 * are known costs unless the scope filters by FOCUS ServiceCategory (plans carry none): then
 * their rows are forecast as usage.
 */
export function forecastMonthEnd(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope): Promise<Forecast> {
  const saasInScope = !scope.serviceCategories?.length && (!scope.costCategoryFilter?.length || scope.costCategoryFilter.includes('saas'));
  const planFilter = saasInScope
    ? (p: PlanRow) => (!scope.providers?.length || scope.providers.includes(ledgerProvider(p))) && (!scope.hierarchy || inHierarchy(p, scope.hierarchy))
    : null;
  return forecastPeriod(ctx, {
    scope, period: { start: firstDayOfMonth(scope.today), end: lastDayOfMonth(scope.today) },
    measure: 'cost', planFilter, decimals: decimalsOf(scope.currency),
  });
}

/** What a forecast explains of itself in a response (the amount and method are answered beside it). */
export function forecastDetails(f: Forecast) {
  const { amount: _a, method: _m, exchange_rates: _r, ...details } = f;
  return details;
}
