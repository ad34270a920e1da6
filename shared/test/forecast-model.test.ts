import { describe, expect, it } from 'vitest';
import { combine, forecastSeries, MODEL } from '../src/forecast/model.js';
import { ENTERPRISE_WEEKDAY, syntheticSeries } from '../src/forecast/synthetic.js';
import { addDays } from '../src/i18n/dates.js';

const FIRST = '2026-01-05'; // a Monday
const profile = { base: 1000, weekday: ENTERPRISE_WEEKDAY, monthlyGrowth: 0, noise: 0.05, spikeChance: 0, spikeSize: 1 };

describe('forecast model (robust seasonal-naive, damped trend)', () => {
  it('recovers the weekday pattern', () => {
    const s = syntheticSeries(profile, FIRST, 84, 1);
    const f = forecastSeries(s.map((x) => x.cost), s.at(-1)!.day, 14);
    const mean = ENTERPRISE_WEEKDAY.reduce((a, b) => a + b, 0) / 7;
    f.fit.weekday.forEach((w, k) => expect(Math.abs(w - ENTERPRISE_WEEKDAY[k]! / mean)).toBeLessThan(0.05));
    // The forecast follows the week: each weekday's median within 6 % of the true mean of that day.
    for (const d of f.days) {
      const truth = 1000 * ENTERPRISE_WEEKDAY[(new Date(`${d.day}T00:00:00Z`).getUTCDay() + 6) % 7]!;
      expect(Math.abs(d.median / truth - 1)).toBeLessThan(0.06);
    }
  });

  it('follows a trend, damped', () => {
    const s = syntheticSeries({ ...profile, monthlyGrowth: 0.1 }, FIRST, 84, 2);
    const f = forecastSeries(s.map((x) => x.cost), s.at(-1)!.day, 28);
    expect(f.fit.slope).toBeGreaterThan(0);
    const truth = syntheticSeries({ ...profile, monthlyGrowth: 0.1, noise: 0 }, FIRST, 84 + 28, 2).slice(84).reduce((a, x) => a + x.cost, 0);
    // Within 6 % of the noise-free outcome; damping keeps it below a linear extrapolation's overshoot.
    expect(Math.abs(f.median / truth - 1)).toBeLessThan(0.06);
  });

  it('a spike in the history does not move the median much', () => {
    const s = syntheticSeries(profile, FIRST, 84, 3).map((x) => x.cost);
    const base = forecastSeries(s, addDays(FIRST, 83), 14);
    const spiked = [...s];
    spiked[80] = spiked[80]! * 20;
    const f = forecastSeries(spiked, addDays(FIRST, 83), 14);
    // One 20x day three days before the origin: the forecast moves < 2 % (a one-off adds nothing).
    expect(Math.abs(f.median / base.median - 1)).toBeLessThan(0.02);
    expect(f.fit.spikeShare).toBe(0);
    // A mean-based run rate over the same 14 days moves by more than 100 %.
    const rr = (xs: number[]) => xs.slice(-14).reduce((a, b) => a + b, 0);
    expect(rr(spiked) / rr(s) - 1).toBeGreaterThan(1);
    expect(f.fit.sigmaDaily / base.fit.sigmaDaily).toBeLessThan(1.3);
  });

  it('recurring spikes: daily medians move < 3 %, the period sum expects their share, each capped at 4x the day', () => {
    const s = syntheticSeries(profile, FIRST, 84, 3).map((x) => x.cost);
    const base = forecastSeries(s, addDays(FIRST, 83), 14);
    const spiked = [...s];
    spiked[80] = spiked[80]! * 20;
    spiked[40] = spiked[40]! * 10;
    const f = forecastSeries(spiked, addDays(FIRST, 83), 14);
    f.days.forEach((d, i) => expect(Math.abs(d.median / base.days[i]!.median - 1)).toBeLessThan(0.03));
    expect(f.fit.spikeRate).toBeCloseTo(2 / 84, 6);
    // Two spikes counted at 4x the fit each (not 19x and 9x): about 2 × 4 / 84 of the sum.
    expect(f.median / base.median - 1).toBeGreaterThan(0.08);
    expect(f.median / base.median - 1).toBeLessThan(0.11);
  });

  it('interval widths are sane: ordered, wider with noise and with the horizon, covering ~80 % of days', () => {
    const quiet = forecastSeries(syntheticSeries(profile, FIRST, 84, 4).map((x) => x.cost), addDays(FIRST, 83), 21);
    const noisy = forecastSeries(syntheticSeries({ ...profile, noise: 0.25 }, FIRST, 84, 4).map((x) => x.cost), addDays(FIRST, 83), 21);
    for (const d of quiet.days) expect(d.lower <= d.median && d.median <= d.upper).toBe(true);
    const rel = (d: { lower: number; upper: number; median: number }) => (d.upper - d.lower) / d.median;
    expect(rel(noisy.days[0]!)).toBeGreaterThan(rel(quiet.days[0]!) * 3);
    expect(rel(quiet.days[20]!)).toBeGreaterThan(rel(quiet.days[0]!));
    // Per-day coverage over many seeds: the day's outcome inside its 80 % interval about 80 % of the time.
    let inside = 0;
    let total = 0;
    for (let seed = 10; seed < 60; seed++) {
      const all = syntheticSeries({ ...profile, noise: 0.15 }, FIRST, 84 + 7, seed);
      const f = forecastSeries(all.slice(0, 84).map((x) => x.cost), all[83]!.day, 7);
      f.days.forEach((d, i) => { total++; if (all[84 + i]!.cost >= d.lower && all[84 + i]!.cost <= d.upper) inside++; });
    }
    expect(inside / total).toBeGreaterThan(0.7);
    expect(inside / total).toBeLessThan(0.92);
    // A period's interval is narrower than the sum of its days' bounds (daily noise partly cancels).
    const c = combine([quiet]);
    expect(c.upper - c.lower).toBeLessThan(quiet.days.reduce((a, d) => a + d.upper - d.lower, 0));
    expect(c.median).toBeCloseTo(quiet.median, 6);
  });

  it('short or empty histories: no trend under 3 weeks, zeros forecast zero', () => {
    const short = forecastSeries([10, 12, 11, 9, 10, 11, 10, 12, 11, 10], '2026-03-10', 5);
    expect(short.fit.slope).toBe(0);
    expect(short.median).toBeGreaterThan(40);
    expect(forecastSeries(new Array(84).fill(0), '2026-03-10', 10).median).toBe(0);
    expect(forecastSeries([], '2026-03-10', 3).days).toHaveLength(3);
    expect(MODEL.windowDays).toBe(84);
  });
});
