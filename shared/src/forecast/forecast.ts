import type { Ctx } from '../context/index.js';
import type { RateUse } from '../costs/analytics/frame.js';
import { roundMoney } from '../costs/analytics/money.js';
import type { Scope } from '../costs/analytics/scope.js';
import { addDays, daysBetween } from '../i18n/dates.js';
import { listPlans, type PlanRow } from '../saas/plans/store.js';
import { backtest, backtestFrom, valuesOf, type Backtest } from './backtest.js';
import { loadDailySeries, type DailySeries, type Measure } from './history.js';
import { ledgerProvider, projectPlans } from './known.js';
import { combine, forecastSeries, MODEL, sumDays } from './model.js';

export interface ForecastInput {
  /** The resolved cost scope: currency, time zone, today and filters apply; its start/end do not. */
  scope: Scope;
  /** The period forecast to its end (inclusive local dates). */
  period: { start: string; end: string };
  measure: Measure;
  /** x_CostCategory values in scope (undefined: all). */
  costCategories?: readonly string[];
  /** Keeps a ledger provider in scope (a budget's provider, matched by name). */
  keepProvider?: (provider: string | null) => boolean;
  /** Which SaaS plans belong to the scope; null: none is known (their rows are forecast as usage). */
  planFilter: ((p: PlanRow) => boolean) | null;
  /** The amount whose exhaustion date is asked (a budget), in the measure's unit. */
  budget?: number;
  /** Rounding of the answer (the currency's minor unit; 0 for tokens). */
  decimals: number;
  /**
   * The scope's history and plans when the caller loaded them once for several forecasts (an
   * org's budgets of one subtree and currency share one reduction): series of every category
   * and provider from `historyFrom(asOf, period)` on; the filters above still apply.
   */
  preloaded?: { series: readonly DailySeries[]; plans: readonly PlanRow[]; rates: RateUse[] };
}

/** The first local day a forecast of `period` made on `asOf` reads (training, backtest and the period's actual). */
export function historyFrom(asOf: string, period: { start: string }): string {
  return [backtestFrom(asOf), period.start, addDays(asOf, -MODEL.windowDays)].sort()[0]!;
}

export interface ForecastDay { day: string; median: number; lower: number; upper: number }

export interface Forecast {
  method: typeof MODEL.method;
  /** The org's local today: days before it are complete; today's partial actual counts as at least what has arrived. */
  as_of: string;
  training_window: { start: string; end: string; days: number };
  /** The period's median forecast: actual to date + known future costs + usage median to the period end. */
  amount: number;
  interval: { level: 0.8; lower: number; upper: number };
  actual_to_date: number;
  /** SaaS plans' cost from tomorrow to the period end, projected exactly with the SaaS formula. */
  known_future: number;
  usage_future: number;
  /** The first local day the cumulative median reaches `budget` (null: not within the period, or no budget). */
  exhaustion_date: string | null;
  /** The days ahead (today's part beyond what has arrived, then each day to the period end): median and 80 % interval. */
  daily: ForecastDay[];
  /** Series forecast statistically (category × provider) and series whose cost is known. */
  series: { usage: number; known: number };
  backtest: Backtest;
  exchange_rates: RateUse[];
}

/** A series in the one measure forecast. */
interface Measured { category: string | null; provider: string | null; byDay: Map<string, number> }

const sumRange = (s: Measured, from: string, to: string) => {
  let v = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) v += s.byDay.get(d) ?? 0;
  return v;
};

/**
 * THE forecast (budgets, /costs summary's forecast_month_end, alerts): known future costs
 * (SaaS plans) projected exactly; usage series (cloud, LLM, SaaS the plans table does not know)
 * forecast by the model (model.ts) from their complete local days; each answer carries its method,
 * training window, as-of day, 80 % interval, exhaustion date and a backtest on the org's own
 * history beside the run rate. Two round-trips in parallel: one reduction (history for the
 * backtest and training, and the period's actual) and the plans.
 */
export async function forecastPeriod(ctx: Pick<Ctx, 'warehouse' | 'clock'>, input: ForecastInput): Promise<Forecast> {
  const { scope, period } = input;
  const asOf = scope.today;
  const origin = addDays(asOf, -1);
  const from = historyFrom(asOf, period);
  const wantPlans = input.planFilter !== null && input.measure !== 'tokens';
  const [loaded, allPlans] = input.preloaded
    ? [{ series: input.preloaded.series, rates: { used: input.preloaded.rates } }, input.preloaded.plans]
    : await Promise.all([
      loadDailySeries(ctx, scope, from, asOf, { tokens: input.measure === 'tokens', ...(input.costCategories ? { costCategories: input.costCategories } : {}), ...(input.keepProvider ? { keep: input.keepProvider } : {}) }),
      wantPlans ? listPlans(ctx.warehouse, scope.datasetId) : Promise.resolve([] as PlanRow[]),
    ]);
  const cats = input.costCategories ? new Set(input.costCategories) : null;
  const series: Measured[] = loaded.series
    .filter((s) => (!cats || (s.category !== null && cats.has(s.category))) && (!input.keepProvider || input.keepProvider(s.provider)))
    .map((s) => ({ category: s.category, provider: s.provider, byDay: s.measures[input.measure] }));
  const rates = loaded.rates;
  const plans = wantPlans ? allPlans.filter(input.planFilter!) : [];
  const knownProviders = new Set(plans.map(ledgerProvider));
  const isKnown = (s: Measured) => input.measure !== 'tokens' && s.category === 'saas' && s.provider !== null && knownProviders.has(s.provider);
  const usage = series.filter((s) => !isKnown(s));
  const known = series.filter(isKnown);

  const lastActual = asOf < period.end ? asOf : period.end;
  const actual = period.start <= lastActual ? series.reduce((a, s) => a + sumRange(s, period.start, lastActual), 0) : 0;
  const first = asOf > period.start ? asOf : period.start;
  const todayIn = asOf >= period.start && asOf <= period.end;
  // Known costs: the plans from `first` on; today counts what the plans charge beyond what has arrived.
  const projection = first <= period.end ? await projectPlans(ctx, plans, first, period.end, scope.currency, asOf) : { byDay: new Map<string, number>(), used: [] as RateUse[] };
  const knownToday = todayIn ? known.reduce((a, s) => a + (s.byDay.get(asOf) ?? 0), 0) : 0;
  const knownDaily = new Map<string, number>();
  for (const [d, v] of projection.byDay) knownDaily.set(d, d === asOf ? Math.max(0, v - knownToday) : v);
  const knownFuture = [...knownDaily.values()].reduce((a, b) => a + b, 0);

  // Usage: each series from its complete days up to yesterday, to the period end.
  const horizon = first <= period.end ? daysBetween(origin, period.end) : 0;
  const usageDaily = new Map<string, number>();
  const usageVar = new Map<string, number>();
  const parts = usage.map((s) => {
    const f = forecastSeries(valuesOf(s.byDay, addDays(origin, -(MODEL.windowDays - 1)), origin), origin, horizon);
    const days = f.days.filter((d) => d.day >= first).map((d) => {
      if (d.day !== asOf) return d;
      // Today's partial actual is already counted: only the rest of the expected day is added.
      const seen = s.byDay.get(asOf) ?? 0;
      const k = d.median > 0 ? Math.max(0, d.median - seen) / d.median : 0;
      return { ...d, median: d.median * k, lower: Math.max(0, d.lower - seen), upper: Math.max(0, d.upper - seen), spike: d.spike * k, noiseSd: d.noiseSd * k, levelSd: d.levelSd * k };
    });
    for (const d of days) {
      usageDaily.set(d.day, (usageDaily.get(d.day) ?? 0) + d.median + d.spike);
      usageVar.set(d.day, (usageVar.get(d.day) ?? 0) + d.noiseSd ** 2 + d.levelSd ** 2);
    }
    return sumDays(days);
  });
  const c = combine(parts, actual + knownFuture);

  let exhaustion: string | null = null;
  if (input.budget !== undefined && input.budget > 0) {
    let cum = 0;
    for (let d = period.start; d <= period.end && exhaustion === null; d = addDays(d, 1)) {
      cum += d <= lastActual ? series.reduce((a, s) => a + (s.byDay.get(d) ?? 0), 0) : 0;
      cum += (knownDaily.get(d) ?? 0) + (usageDaily.get(d) ?? 0);
      if (cum >= input.budget) exhaustion = d;
    }
  }

  // Each day ahead: known costs exactly, plus the usage median and its 80 % interval (series independent).
  const daily: ForecastDay[] = [];
  for (let d = first; d <= period.end; d = addDays(d, 1)) {
    const k = knownDaily.get(d) ?? 0;
    const m = usageDaily.get(d) ?? 0;
    const half = MODEL.z80 * Math.sqrt(usageVar.get(d) ?? 0);
    daily.push({ day: d, median: roundMoney(k + m, input.decimals), lower: roundMoney(k + Math.max(0, m - half), input.decimals), upper: roundMoney(k + m + half, input.decimals) });
  }
  const windowStart = addDays(origin, -(MODEL.windowDays - 1));
  const r = (x: number) => roundMoney(x, input.decimals);
  return {
    method: MODEL.method,
    as_of: asOf,
    training_window: { start: windowStart, end: origin, days: MODEL.windowDays },
    amount: r(c.median),
    interval: { level: 0.8, lower: r(c.lower), upper: r(c.upper) },
    actual_to_date: r(actual),
    known_future: r(knownFuture),
    usage_future: r(c.median - actual - knownFuture),
    exhaustion_date: exhaustion,
    daily,
    series: { usage: usage.length, known: known.length },
    backtest: roundPoints(backtest(usage.map((s) => s.byDay), known.map((s) => s.byDay), asOf), r),
    exchange_rates: [...rates.used, ...projection.used],
  };
}

function roundPoints(b: Backtest, r: (x: number) => number): Backtest {
  return { ...b, points: b.points.map((p) => ({ ...p, actual: r(p.actual), forecast: r(p.forecast), lower: r(p.lower), upper: r(p.upper), run_rate: r(p.run_rate) })) };
}
