import { addDays } from '../i18n/dates.js';

/**
 * The usage model: a robust seasonal-naive forecast with a median weekday profile and a damped
 * Theil-Sen trend, over the last 12 weeks of complete local days of one series.
 *
 * Why this and not Holt-Winters: cost series are short (a new org has weeks, not years), carry
 * one-off spikes (a backfill, a runaway job) and a strong weekday/weekend shape. Holt-Winters
 * fits by squared error, so one spike moves its level, trend and seasonal state for weeks, and
 * its smoothing constants need a search per series (slower, and unstable on 8-12 weeks). Every
 * estimate here is a median: the weekday factors are the median over weeks of each day's ratio
 * to its week's mean (a spike is one ratio of 12); the trend is the Theil-Sen slope (the median
 * of pairwise slopes of the same weekday, robust up to ~29 % outliers) of the deseasonalized series; the level is the
 * median of the last 14 deseasonalized days projected to the origin; the noise scale is the MAD
 * of the relative residuals. The trend is damped (φ = 0.98 per day) so three months of growth are
 * not extrapolated linearly into the next one. About 460 pairs for 84 days: well under a millisecond.
 *
 * Intervals: each day's error is daily noise (independent between days) plus level error
 * (shared by every day ahead, growing with the horizon). A period's 80 % interval therefore adds
 * daily noise in quadrature and level error linearly; adding the per-day bounds would treat
 * daily noise as perfectly correlated and give intervals much wider than 80 %.
 */
export const MODEL = {
  method: 'robust_seasonal_naive_damped_trend',
  /** Training window: the last 12 weeks of complete local days. */
  windowDays: 84,
  /** Below this many days the trend is not estimated (slope 0). */
  minTrendDays: 21,
  /** Below this many days there is no weekday profile (factors 1). */
  minSeasonDays: 14,
  phi: 0.98,
  /** Two-sided 80 %: the 10th and 90th percentiles of a normal. */
  z80: 1.2816,
  /** Days the level is anchored on. */
  anchorDays: 14,
} as const;

export interface DayForecast {
  day: string; median: number; lower: number; upper: number;
  /** Expected cost of recurring spikes on the day, beyond its median (0 unless the window had two or more). */
  spike: number;
  /** The day's independent (noise) and shared (level) standard deviations, for sums over days. */
  noiseSd: number; levelSd: number;
}

/** One series' forecast over a horizon, with the parts a sum over series needs. */
export interface SeriesForecast {
  days: DayForecast[];
  /** Σ (median + expected recurring spikes) over the horizon: the period sum's central estimate. */
  median: number;
  /** Variance of the independent (daily noise) part of the horizon sum. */
  noiseVar: number;
  /** Standard deviation of the shared (level) part of the horizon sum. */
  levelSd: number;
  /** What was fitted (for explanation and tests). */
  fit: { weekday: number[]; level: number; slope: number; sigmaDaily: number; sigmaLevel: number; spikeRate: number; spikeShare: number; days: number };
}

const median = (xs: readonly number[]): number => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const mad = (xs: readonly number[]): number => { const m = median(xs); return 1.4826 * median(xs.map((x) => Math.abs(x - m))); };

/** 0 = Monday ... 6 = Sunday, of a YYYY-MM-DD date. */
export const weekdayOf = (day: string): number => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;

/**
 * Forecasts `horizon` days (1 = the day after the last history day) of a daily series whose last
 * value is on `lastDay`. `history` is oldest first, every day present (zeros included).
 */
export function forecastSeries(history: readonly number[], lastDay: string, horizon: number): SeriesForecast {
  const y = history.slice(-MODEL.windowDays).map((v) => (Number.isFinite(v) ? v : 0));
  const n = y.length;
  // Weekdays by arithmetic from the last day's (no date parsing per day: this runs per origin and series).
  const lastWd = weekdayOf(lastDay);
  const wdAt = (offset: number) => (((lastWd + offset) % 7) + 7) % 7;
  const wd = y.map((_, i) => wdAt(i - (n - 1)));

  // Weekday profile: the median over whole weeks (aligned to end on lastDay) of y / week mean.
  const weekday = [1, 1, 1, 1, 1, 1, 1];
  if (n >= MODEL.minSeasonDays) {
    const ratios: number[][] = [[], [], [], [], [], [], []];
    for (let end = n; end - 7 >= 0; end -= 7) {
      const wk = y.slice(end - 7, end);
      const mean = wk.reduce((a, b) => a + b, 0) / 7;
      if (mean <= 0) continue;
      for (let j = end - 7; j < end; j++) ratios[wd[j]!]!.push(y[j]! / mean);
    }
    if (ratios.every((r) => r.length)) {
      const raw = ratios.map(median);
      const norm = raw.reduce((a, b) => a + b, 0) / 7;
      if (norm > 0) raw.forEach((r, k) => { weekday[k] = r / norm; });
    }
  }

  // Deseasonalized series; days of a weekday that never costs anything carry no level information.
  const idx: number[] = [];
  const z: number[] = [];
  y.forEach((v, i) => { const s = weekday[wd[i]!]!; if (s > 1e-9) { idx.push(i); z.push(v / s); } });

  // Theil-Sen slope over pairs of the same weekday (whole weeks apart: what is left of the weekday
  // profile cancels, and 12 weeks give 7 × 66 pairs instead of 3,500).
  let slope = 0;
  if (n >= MODEL.minTrendDays && z.length >= 2) {
    const slopes: number[] = [];
    for (let a = 0; a < z.length; a++) for (let b = a + 1; b < z.length; b++) if ((idx[b]! - idx[a]!) % 7 === 0) slopes.push((z[b]! - z[a]!) / (idx[b]! - idx[a]!));
    slope = median(slopes);
  }
  // Level at the last day: the median of the last anchor days, each moved to the origin along the trend.
  const anchor = z.map((v, k) => ({ v: v + slope * (n - 1 - idx[k]!), i: idx[k]! })).filter((p) => p.i >= n - MODEL.anchorDays);
  const level = Math.max(0, median(anchor.map((p) => p.v)));

  // Relative residuals about the fitted line (in-sample), and the week-to-week wander of the level.
  const fitted = (i: number) => Math.max(0, (level + slope * (i - (n - 1))) * weekday[wd[i]!]!);
  const rel: number[] = [];
  y.forEach((v, i) => { const f = fitted(i); if (f > 0) rel.push((v - f) / f); });
  const sigmaDaily = rel.length >= 7 ? mad(rel) : 0.5;
  // Recurring spikes: a residual far above the noise is a spike. One in the window is a one-off
  // and changes nothing; two or more are part of how the series behaves, and a period sum (many
  // days: it tends to its mean, not to the sum of daily medians) expects their share. Each spike
  // counts at most 4x the day's fit, so one enormous day cannot dominate.
  const spikes = rel.filter((r) => r > Math.max(0.5, 5 * sigmaDaily)).map((r) => Math.min(r, 4));
  const spikeRate = spikes.length >= 2 ? spikes.length / rel.length : 0;
  const spikeMean = spikeRate ? spikes.reduce((a, b) => a + b, 0) / spikes.length : 0;
  const spikeShare = spikeRate * spikeMean;
  const spikeVar = spikeRate ? spikeRate * (spikes.reduce((a, b) => a + b * b, 0) / spikes.length) - spikeShare ** 2 : 0;
  const weekLevels: number[] = [];
  for (let end = n; end - 7 >= 0; end -= 7) {
    const line = level + slope * (end - 4 - (n - 1));
    const zs = z.filter((_, k) => idx[k]! >= end - 7 && idx[k]! < end);
    if (line > 0 && zs.length) weekLevels.push(median(zs) / line - 1);
  }
  // With few weeks the level's wander is unknown: assume it is as large as a day's noise over a week.
  const sigmaLevel = weekLevels.length >= 4 ? mad(weekLevels) : sigmaDaily / Math.sqrt(7) * 2;

  const out: DayForecast[] = [];
  let sum = 0;
  let noiseVar = 0;
  let levelSd = 0;
  let damp = 0;
  for (let h = 1; h <= horizon; h++) {
    damp += MODEL.phi ** h;
    const day = addDays(lastDay, h);
    const m = Math.max(0, (level + slope * damp) * weekday[wdAt(h)]!);
    // The level error grows as a random walk of weekly steps from the origin.
    const sl = sigmaLevel * Math.sqrt(1 + h / 7);
    const sd = m * Math.sqrt(sigmaDaily ** 2 + sl ** 2);
    const noise = m * Math.sqrt(sigmaDaily ** 2 + spikeVar);
    out.push({ day, median: m, lower: Math.max(0, m - MODEL.z80 * sd), upper: m + MODEL.z80 * sd, spike: m * spikeShare, noiseSd: noise, levelSd: m * sl });
    sum += m * (1 + spikeShare);
    noiseVar += noise ** 2;
    levelSd += m * sl;
  }
  return { days: out, median: sum, noiseVar, levelSd, fit: { weekday, level, slope, sigmaDaily, sigmaLevel, spikeRate, spikeShare, days: n } };
}

/** The sum parts of some days of a series forecast (a period's days out of its horizon). */
export function sumDays(days: readonly DayForecast[]): Pick<SeriesForecast, 'median' | 'noiseVar' | 'levelSd'> {
  return days.reduce((a, d) => ({ median: a.median + d.median + d.spike, noiseVar: a.noiseVar + d.noiseSd ** 2, levelSd: a.levelSd + d.levelSd }), { median: 0, noiseVar: 0, levelSd: 0 });
}

/** The 80 % interval of a sum of series forecasts (and a known amount): noise in quadrature; level errors of different series in quadrature too (series are modelled independently). */
export function combine(parts: readonly Pick<SeriesForecast, 'median' | 'noiseVar' | 'levelSd'>[], known = 0): { median: number; lower: number; upper: number } {
  const m = parts.reduce((a, p) => a + p.median, 0);
  const v = parts.reduce((a, p) => a + p.noiseVar + p.levelSd ** 2, 0);
  const half = MODEL.z80 * Math.sqrt(v);
  return { median: known + m, lower: known + Math.max(0, m - half), upper: known + m + half };
}
