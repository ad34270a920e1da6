import { addDays } from '../../i18n/dates.js';
import { mad, MAD_TO_SIGMA, median } from './stats.js';

/**
 * The detector's thresholds. A day is anomalous only when its deviation from the same-weekday
 * median passes ALL of: the absolute impact (in the org's currency), the percent change and the
 * robust z (deviation over 1.4826 MAD, floored so that a perfectly flat series cannot turn a
 * cent into infinity). Rules may ask for more, never for less: what is below these is not recorded.
 */
export const DETECTOR = {
  /** Same-weekday points the baseline reaches back (8 weeks) and needs at least (4). */
  baselineWeeks: 8,
  minBaselinePoints: 4,
  minPercent: 30,
  minZ: 3,
  /** The impact floor: the larger of this share of the org's average daily spend and the currency floor. */
  minImpactShareOfDaily: 0.01,
  /** The currency floor, in USD (converted to the org's currency at the day's rate). */
  minImpactUsd: 10,
  /** A flat series' sigma is at least this share of its median. */
  sigmaFloorShare: 0.05,
  /** How far back a run of anomalous days is followed (its start day), and how recent its last day must be to be recorded. */
  runSearchDays: 28,
  recordDays: 7,
} as const;

export type Direction = 'up' | 'down';

/** One local day of a series against its baseline. */
export interface DayPoint {
  day: string;
  actual: number;
  expected: number;
  mad: number;
  /** Robust z: (actual − expected) / max(1.4826 MAD, 5 % of expected, min impact / 3). */
  z: number;
  /** Null when nothing was expected (new spend). */
  percent: number | null;
  points: number;
  flagged: Direction | null;
}

/** A run of consecutive anomalous days of one series, in one direction. */
export interface Run {
  direction: Direction;
  start_day: string;
  last_day: string;
  days: DayPoint[];
  peak: DayPoint;
  actual: number;
  expected: number;
  impact: number;
  percent: number | null;
  z: number;
}

export interface DetectInput {
  /** day → amount (days absent are 0 once the org has data). */
  values: ReadonlyMap<string, number>;
  /** The org's first local day with any ledger row in the loaded window: earlier days are missing, not zero. */
  dataStart: string;
  /** The org's local date now; its data may be partial, so it can only show increases. */
  today: string;
  minImpact: number;
}

/** The day `day` of a series against the same weekday of the `baselineWeeks` weeks before it. */
export function dayPoint(inp: DetectInput, day: string): DayPoint {
  const base: number[] = [];
  for (let k = 1; k <= DETECTOR.baselineWeeks; k++) {
    const d = addDays(day, -7 * k);
    if (d < inp.dataStart) break;
    base.push(inp.values.get(d) ?? 0);
  }
  const actual = inp.values.get(day) ?? 0;
  const expected = median(base);
  const m = mad(base, expected);
  const dev = actual - expected;
  const sigma = Math.max(MAD_TO_SIGMA * m, DETECTOR.sigmaFloorShare * Math.abs(expected), inp.minImpact / 3);
  const z = sigma > 0 ? dev / sigma : 0;
  const percent = expected > 0 ? (dev / expected) * 100 : null;
  let flagged: Direction | null = null;
  if (base.length >= DETECTOR.minBaselinePoints && Math.abs(dev) >= inp.minImpact && Math.abs(z) >= DETECTOR.minZ) {
    const pctOk = percent === null ? dev > 0 : Math.abs(percent) >= DETECTOR.minPercent;
    // Today is still arriving: a low total means nothing yet, a high one already is.
    if (pctOk && (dev > 0 || day < inp.today)) flagged = dev > 0 ? 'up' : 'down';
  }
  return { day, actual, expected, mad: m, z, percent, points: base.length, flagged };
}

/**
 * The latest run of anomalous days of a series whose last day is within the last `recordDays`
 * (followed back at most `runSearchDays`), or null. One run per series and detection: an
 * ongoing anomaly is one record, extended as its days come.
 */
export function latestRun(inp: DetectInput): Run | null {
  let end: DayPoint | null = null;
  for (let i = 0; i < DETECTOR.recordDays && !end; i++) {
    const p = dayPoint(inp, addDays(inp.today, -i));
    if (p.flagged) end = p;
  }
  if (!end) return null;
  const days: DayPoint[] = [end];
  for (let i = 1; i < DETECTOR.runSearchDays; i++) {
    const p = dayPoint(inp, addDays(end.day, -i));
    if (p.flagged !== end.flagged) break;
    days.unshift(p);
  }
  const actual = days.reduce((s, p) => s + p.actual, 0);
  const expected = days.reduce((s, p) => s + p.expected, 0);
  const peak = days.reduce((a, b) => (Math.abs(b.actual - b.expected) > Math.abs(a.actual - a.expected) ? b : a));
  const z = days.reduce((a, p) => (Math.abs(p.z) > Math.abs(a) ? p.z : a), 0);
  return {
    direction: end.flagged!, start_day: days[0]!.day, last_day: end.day, days, peak,
    actual, expected, impact: actual - expected, percent: expected > 0 ? ((actual - expected) / expected) * 100 : null, z,
  };
}
