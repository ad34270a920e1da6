import { addDays, daysBetween } from '../i18n/dates.js';
import { combine, forecastSeries, MODEL } from './model.js';

/** Month-end forecasts are made this many days before each month's last day. */
export const BACKTEST_HORIZONS = [7, 14, 21] as const;
export const BACKTEST_MONTHS = 3;

export interface BacktestPoint { month: string; days_before: number; as_of: string; actual: number; forecast: number; lower: number; upper: number; run_rate: number }

export interface Backtest {
  /** Mean absolute percentage error of the model's month-end forecasts (null: no month to test). */
  mape_percent: number | null;
  /** The naive run rate's (month to date / days elapsed × days in month) on the same forecasts. */
  run_rate_mape_percent: number | null;
  /** Share of the month-end outcomes inside the model's 80 % interval. */
  interval_coverage_percent: number | null;
  months: string[];
  horizons_days: number[];
  points: BacktestPoint[];
}

export const lastDayOfMonth = (day: string): string => addDays(`${addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7)}-01`, -1);
export const firstDayOfMonth = (day: string): string => `${day.slice(0, 7)}-01`;

/** The first day of the month `n` months before the month of `day`. */
export function monthsBefore(day: string, n: number): string {
  let d = firstDayOfMonth(day);
  for (let i = 0; i < n; i++) d = firstDayOfMonth(addDays(d, -1));
  return d;
}

/** The first local day a backtest of the months before `asOf` needs (its earliest training window). */
export function backtestFrom(asOf: string): string {
  return addDays(addDays(lastDayOfMonth(monthsBefore(asOf, BACKTEST_MONTHS)), -Math.max(...BACKTEST_HORIZONS)), -(MODEL.windowDays - 1));
}

/** A series as the model takes it: every day from its first non-zero day in `from`..`to`, zeros filled. */
export function valuesOf(byDay: ReadonlyMap<string, number>, from: string, to: string): number[] {
  let start = from;
  while (start <= to && !(byDay.get(start) ?? 0)) start = addDays(start, 1);
  const out: number[] = [];
  for (let d = start; d <= to; d = addDays(d, 1)) out.push(byDay.get(d) ?? 0);
  return out;
}

const sumDays = (byDay: ReadonlyMap<string, number>, from: string, to: string) => {
  let s = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) s += byDay.get(d) ?? 0;
  return s;
};

/**
 * The org's own history replayed: for each of the last 3 complete months before `asOf` and each
 * horizon, the month-end forecast made with only the days up to then (usage series by the model,
 * known series, i.e. SaaS plans, taken as what they then charged: contract terms known in
 * advance), against what the month came to, beside the run rate on the same days.
 */
export function backtest(usage: readonly ReadonlyMap<string, number>[], known: readonly ReadonlyMap<string, number>[], asOf: string): Backtest {
  const all = [...usage, ...known];
  const points: BacktestPoint[] = [];
  const months: string[] = [];
  let firstData: string | null = null;
  for (const s of all) for (const [d, v] of s) if (v && (firstData === null || d < firstData)) firstData = d;
  for (let m = BACKTEST_MONTHS; m >= 1; m--) {
    const start = monthsBefore(asOf, m);
    const end = lastDayOfMonth(start);
    const actual = all.reduce((a, s) => a + sumDays(s, start, end), 0);
    if (actual <= 0 || firstData === null) continue;
    months.push(start.slice(0, 7));
    for (const k of BACKTEST_HORIZONS) {
      const origin = addDays(end, -k);
      // Two weeks of history at least, or the forecast is not one the org would have been shown.
      if (daysBetween(firstData, origin) < 13) continue;
      const mtd = all.reduce((a, s) => a + sumDays(s, start, origin), 0);
      const knownRest = known.reduce((a, s) => a + sumDays(s, addDays(origin, 1), end), 0);
      const parts = usage.map((s) => forecastSeries(valuesOf(s, addDays(origin, -(MODEL.windowDays - 1)), origin), origin, k));
      const c = combine(parts, mtd + knownRest);
      const elapsed = daysBetween(start, origin) + 1;
      points.push({ month: start.slice(0, 7), days_before: k, as_of: origin, actual, forecast: c.median, lower: c.lower, upper: c.upper, run_rate: (mtd / elapsed) * (daysBetween(start, end) + 1) });
    }
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const pct = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 100);
  return {
    mape_percent: pct(mean(points.map((p) => Math.abs(p.forecast - p.actual) / p.actual))),
    run_rate_mape_percent: pct(mean(points.map((p) => Math.abs(p.run_rate - p.actual) / p.actual))),
    interval_coverage_percent: pct(mean(points.map((p) => (p.actual >= p.lower && p.actual <= p.upper ? 1 : 0)))),
    months, horizons_days: [...BACKTEST_HORIZONS], points,
  };
}
