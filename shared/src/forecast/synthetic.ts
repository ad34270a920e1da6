import { addDays } from '../i18n/dates.js';
import { weekdayOf } from './model.js';
import { prng } from '../costs/seed/dims.js';

/** The seed's deterministic PRNG (mulberry32): the same seed gives the same series. */
export const mulberry = prng;

/** A standard normal from two uniforms (Box-Muller). */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export interface SyntheticProfile {
  /** Mean daily cost on the first day. */
  base: number;
  /** Weekday factors, Monday first (mean 1 over the week is not required). */
  weekday: readonly number[];
  /** Growth per 30 days (0.05 = 5 %). */
  monthlyGrowth: number;
  /** Relative daily noise (standard deviation). */
  noise: number;
  /** Chance a day is a spike, and the spike's size (a multiple of the day's cost). */
  spikeChance: number;
  spikeSize: number;
  /** Week-to-week drift of the level (relative standard deviation per week). */
  weeklyDrift?: number;
}

/** An enterprise-like usage day: busy weekdays, quiet weekends. */
export const ENTERPRISE_WEEKDAY = [1.15, 1.2, 1.2, 1.15, 1.05, 0.55, 0.5] as const;

/** Daily costs from `first`, `days` long, by profile and seed. */
export function syntheticSeries(p: SyntheticProfile, first: string, days: number, seed: number): { day: string; cost: number; spike: boolean }[] {
  const rand = mulberry(seed);
  const out: { day: string; cost: number; spike: boolean }[] = [];
  let drift = 1;
  for (let i = 0; i < days; i++) {
    const day = addDays(first, i);
    if (i % 7 === 0 && p.weeklyDrift) drift *= 1 + p.weeklyDrift * normal(rand);
    const trend = (1 + p.monthlyGrowth) ** (i / 30);
    const season = p.weekday[weekdayOf(day)]!;
    const spike = rand() < p.spikeChance;
    const v = p.base * trend * season * drift * Math.max(0.05, 1 + p.noise * normal(rand)) * (spike ? p.spikeSize : 1);
    out.push({ day, cost: v, spike });
  }
  return out;
}
