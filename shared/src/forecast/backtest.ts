import { addDays, dayNumber, daysBetween } from '../i18n/dates.js';
import { combine, forecastSeries, MODEL, type SeriesForecast } from './model.js';

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

/** A series as a dense array of local days (built once per series: the backtest reads it at 9 origins). */
interface Dense { first: number; values: Float64Array; cumulative: Float64Array }
const denseCache = new WeakMap<ReadonlyMap<string, number>, Dense>();

function dense(byDay: ReadonlyMap<string, number>): Dense {
  let d = denseCache.get(byDay);
  if (d) return d;
  const nums = [...byDay.keys()].map(dayNumber);
  const first = nums.length ? Math.min(...nums) : 0;
  const last = nums.length ? Math.max(...nums) : -1;
  const values = new Float64Array(Math.max(0, last - first + 1));
  for (const [day, v] of byDay) values[dayNumber(day) - first] = (values[dayNumber(day) - first] ?? 0) + v;
  const cumulative = new Float64Array(values.length + 1);
  values.forEach((v, i) => { cumulative[i + 1] = cumulative[i]! + v; });
  denseCache.set(byDay, (d = { first, values, cumulative }));
  return d;
}

/** A series as the model takes it: every day from its first non-zero day in `from`..`to`, zeros filled. */
export function valuesOf(byDay: ReadonlyMap<string, number>, from: string, to: string): number[] {
  const d = dense(byDay);
  let a = dayNumber(from);
  const b = dayNumber(to);
  const at = (n: number) => (n < d.first || n >= d.first + d.values.length ? 0 : d.values[n - d.first]!);
  while (a <= b && !at(a)) a++;
  const out: number[] = [];
  for (let n = a; n <= b; n++) out.push(at(n));
  return out;
}

/** Σ of a series over local days `from`..`to` (inclusive), from its running total. */
function sumDays(byDay: ReadonlyMap<string, number>, from: string, to: string): number {
  const d = dense(byDay);
  const clamp = (n: number) => Math.min(Math.max(n - d.first, 0), d.values.length);
  const a = clamp(dayNumber(from));
  const b = clamp(dayNumber(to) + 1);
  return b > a ? d.cumulative[b]! - d.cumulative[a]! : 0;
}

/** One series' forecast from an origin, remembered per series (a total budget and its category budgets share series). */
const forecastCache = new WeakMap<ReadonlyMap<string, number>, Map<string, SeriesForecast>>();
function cachedForecast(byDay: ReadonlyMap<string, number>, origin: string, horizon: number): SeriesForecast {
  let m = forecastCache.get(byDay);
  if (!m) forecastCache.set(byDay, (m = new Map()));
  const k = `${origin}|${horizon}`;
  let f = m.get(k);
  if (!f) m.set(k, (f = forecastSeries(valuesOf(byDay, addDays(origin, -(MODEL.windowDays - 1)), origin), origin, horizon)));
  return f;
}

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
      const parts = usage.map((s) => cachedForecast(s, origin, k));
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
