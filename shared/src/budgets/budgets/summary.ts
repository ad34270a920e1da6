import type { Ctx } from '../../context/index.js';
import { roundMoney, decimalsOf } from '../../costs/analytics/money.js';
import type { RateUse, MissingRate } from '../../costs/analytics/frame.js';
import type { Category, PeriodType } from './fields.js';
import { budgetScope } from './scope.js';
import { listBudgets } from './store.js';
import { convertAmount, measureBudget, type CostBasis } from './actuals.js';
import type { Budget } from './fields.js';
import { forecastBudgets } from './forecast.js';
import { MODEL } from '../../forecast/model.js';
import type { Forecast } from '../../forecast/forecast.js';

/** What a budget's forecast explains of itself (null for seat budgets: seats are known, not forecast). */
export type ForecastDetails = Omit<Forecast, 'exchange_rates' | 'exhaustion_date' | 'amount' | 'method'>;
export type ForecastMethod = typeof MODEL.method | 'known_seats';

export interface SummaryInput { orgSlug: string; category?: Category; hierarchy_entity_id?: string; period_type?: PeriodType; cost_basis?: CostBasis }

const pct = (num: number, den: number) => (den === 0 ? 0 : Math.round((num / den) * 10000) / 100);

export interface SummaryItem {
  budget_id: string;
  hierarchy_entity_id: string | null;
  hierarchy_entity_name: string | null;
  hierarchy_path: string | null;
  hierarchy_level_code: string | null;
  category: Category;
  budget_type: Budget['budget_type'];
  budget_amount: number;
  actual_amount: number;
  /** The median forecast of the period (actual + known future costs + usage median). */
  forecast_amount: number;
  forecast_method: ForecastMethod;
  /** The first local day the median forecast reaches the budget (null: not within the period). */
  exhaustion_date: string | null;
  forecast: ForecastDetails | null;
  variance: number;
  variance_percent: number;
  currency: string;
  period_type: PeriodType;
  period_start: string;
  period_end: string;
  provider: string | null;
  is_over_budget: boolean;
  forecast_over_budget: boolean;
  thresholds_crossed: { percent: number; of: 'actual' | 'forecast' }[];
  allocation_parent_id: string | null;
  /** Counted in the totals (monetary, not allocated from another budget listed here). */
  counted_in_totals: boolean;
  /** The budget and its actual in the org's currency (null when no rate converts it). */
  budget_amount_org: number | null;
  actual_amount_org: number;
}

/**
 * Every active budget (filtered) with its actual over its current period, through the cost
 * views (actuals.ts); totals in the org's currency, counting each amount once: token and seat
 * budgets are never money, and a budget allocated from another one listed is inside its parent.
 */
export async function budgetSummary(ctx: Ctx, input: SummaryInput) {
  const scope = await budgetScope(ctx, input.orgSlug);
  const orgCurrency = scope.profile.default_currency;
  const all = (await listBudgets(ctx.warehouse, scope.tenant)).filter((b) => b.is_active
    && (input.category === undefined || b.category === input.category)
    && (input.hierarchy_entity_id === undefined || b.hierarchy_entity_id === input.hierarchy_entity_id)
    && (input.period_type === undefined || b.period_type === input.period_type));
  const ids = new Set(all.map((b) => b.budget_id));
  const used: RateUse[] = [];
  const missing: MissingRate[] = [];
  // The forecasts run beside the actuals (one reduction per subtree and currency for all of them).
  const forecasts = forecastBudgets(ctx, all, scope.today, input.cost_basis);
  forecasts.catch(() => undefined);
  const items: SummaryItem[] = await Promise.all(all.map(async (b) => {
    const [m, f] = await Promise.all([
      measureBudget(ctx, b, { currency: orgCurrency, today: scope.today }, input.cost_basis),
      forecasts.then((byId) => byId.get(b.budget_id) ?? null),
    ]);
    used.push(...(f?.exchange_rates ?? []));
    // The actual is the measured one (to the minor unit); the forecast adds what is ahead of it.
    const ahead = f ? f.amount - f.actual_to_date : 0;
    const forecastAmount = f ? (monetaryRound(b, m.actual + ahead)) : m.forecast;
    const shift = f ? m.actual - f.actual_to_date : 0;
    const details: ForecastDetails | null = f ? {
      as_of: f.as_of, training_window: f.training_window,
      interval: { level: f.interval.level, lower: monetaryRound(b, f.interval.lower + shift), upper: monetaryRound(b, f.interval.upper + shift) },
      actual_to_date: m.actual, known_future: f.known_future, usage_future: f.usage_future, daily: f.daily, series: f.series, backtest: f.backtest,
    } : null;
    used.push(...m.rates.used);
    missing.push(...m.rates.missing);
    const amount = Number(b.budget_amount);
    const monetary = b.budget_type === 'monetary';
    const converted = monetary ? await convertAmount(ctx, amount, b.currency, orgCurrency, m.period_end < scope.today ? m.period_end : scope.today) : { value: amount, used: [] };
    used.push(...converted.used);
    const variance = monetary ? roundMoney(amount - m.actual, decimalsOf(b.currency)) : amount - m.actual;
    return {
      budget_id: b.budget_id, hierarchy_entity_id: b.hierarchy_entity_id, hierarchy_entity_name: b.hierarchy_entity_name, hierarchy_path: b.hierarchy_path, hierarchy_level_code: b.hierarchy_level_code,
      category: b.category, budget_type: b.budget_type, budget_amount: amount, actual_amount: m.actual, forecast_amount: forecastAmount, forecast_method: f ? f.method : 'known_seats' as const,
      exhaustion_date: f ? f.exhaustion_date : null, forecast: details,
      variance, variance_percent: pct(variance, amount), currency: monetary ? b.currency : b.budget_type === 'token' ? 'TOKENS' : 'SEATS',
      period_type: b.period_type, period_start: m.period_start, period_end: m.period_end, provider: b.provider,
      is_over_budget: m.actual > amount, forecast_over_budget: forecastAmount > amount,
      thresholds_crossed: b.thresholds.filter((t) => (t.of === 'forecast' ? forecastAmount : m.actual) >= (amount * t.percent) / 100),
      allocation_parent_id: b.allocation_parent_id,
      counted_in_totals: monetary && !(b.allocation_parent_id && ids.has(b.allocation_parent_id)),
      budget_amount_org: converted.value, actual_amount_org: m.actual_org,
    };
  }));
  const d = decimalsOf(orgCurrency);
  const counted = items.filter((i) => i.counted_in_totals);
  const unconvertible = counted.filter((i) => i.budget_amount_org === null).map((i) => i.budget_id);
  const totalBudget = roundMoney(counted.reduce((s, i) => s + (i.budget_amount_org ?? 0), 0), d);
  const totalActual = roundMoney(counted.reduce((s, i) => s + i.actual_amount_org, 0), d);
  const totalVariance = roundMoney(totalBudget - totalActual, d);
  return {
    org_slug: input.orgSlug,
    items,
    total_budget: totalBudget,
    total_actual: totalActual,
    total_variance: totalVariance,
    total_variance_percent: pct(totalVariance, totalBudget),
    currency: orgCurrency,
    budgets_over: items.filter((i) => i.is_over_budget).length,
    budgets_under: items.filter((i) => !i.is_over_budget).length,
    budgets_total: items.length,
    cost_basis: input.cost_basis === 'billed' ? 'BilledCost' as const : 'EffectiveCost' as const,
    forecast_method: MODEL.method,
    unconvertible_budgets: unconvertible,
    exchange_rates: dedupeRates(used),
    missing_rates: missing,
  };
}
export type BudgetSummary = Awaited<ReturnType<typeof budgetSummary>>;

function dedupeRates(used: RateUse[]): RateUse[] {
  const seen = new Map<string, RateUse>();
  for (const u of used) {
    const k = `${u.from}|${u.to}|${u.first_day}|${u.last_day}`;
    if (!seen.has(k)) seen.set(k, u);
  }
  return [...seen.values()];
}

/** The summary's counted monetary items grouped by a key, in the org's currency. */
export function groupSummary(s: BudgetSummary, key: (i: SummaryItem) => string) {
  const d = decimalsOf(s.currency);
  const groups = new Map<string, SummaryItem[]>();
  for (const i of s.items) groups.set(key(i), [...(groups.get(key(i)) ?? []), i]);
  return [...groups.entries()].map(([k, list]) => {
    const counted = list.filter((i) => i.counted_in_totals);
    const budget = roundMoney(counted.reduce((n, i) => n + (i.budget_amount_org ?? 0), 0), d);
    const actual = roundMoney(counted.reduce((n, i) => n + i.actual_amount_org, 0), d);
    const variance = roundMoney(budget - actual, d);
    return { key: k, total_budget: budget, total_actual: actual, total_variance: variance, total_variance_percent: pct(variance, budget), budgets_total: list.length, budgets_over: list.filter((i) => i.is_over_budget).length, currency: s.currency };
  }).sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** A forecast in the budget's unit: its currency's minor unit, or whole tokens. */
function monetaryRound(b: Budget, x: number): number {
  return b.budget_type === 'monetary' ? roundMoney(x, decimalsOf(b.currency)) : Math.round(x);
}
