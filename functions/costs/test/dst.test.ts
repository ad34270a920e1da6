import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcInterval } from '../../../shared/src/costs/analytics/scope.js';
import { costsApp, convertedSql, referenceEngine } from './support.js';

/**
 * Local days across daylight-saving changes: America/New_York's 8 March 2026 has 23 hours
 * (02:00 EST → 03:00 EDT) and 1 November 2026 has 25 (02:00 EDT → 01:00 EST). Its buckets must
 * hold exactly the rows whose charge start falls in that local day, as SQL's timezone() says.
 */
const TZ = 'America/New_York';
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'dst_ny', currency: 'USD', timezone: TZ, now: '2026-11-05T18:00:00Z' }, { days: 250, rowsPerDay: 96, seed: 9, end: '2026-11-05' });
  ref = await referenceEngine(t.deps.warehouse, 'dst_ny_prod');
});
afterAll(() => ref.close());

type Trend = { data: { period: string; total_cost: number; record_count: number }[] };

describe('local days across DST (America/New_York)', () => {
  it('the changeover days are 23 and 25 hours long in UTC', () => {
    const hours = (day: string) => { const { fromUtc, toUtc } = utcInterval(TZ, day, day); return (toUtc.getTime() - fromUtc.getTime()) / 3_600_000; };
    expect([hours('2026-03-07'), hours('2026-03-08'), hours('2026-03-09')]).toEqual([24, 23, 24]);
    expect([hours('2026-10-31'), hours('2026-11-01'), hours('2026-11-02')]).toEqual([24, 25, 24]);
    expect(utcInterval(TZ, '2026-03-08', '2026-03-08').fromUtc.toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(utcInterval(TZ, '2026-11-01', '2026-11-01').toUtc.toISOString()).toBe('2026-11-02T05:00:00.000Z');
  });

  it.each([['2026-03-06', '2026-03-10'], ['2026-10-30', '2026-11-03']])('daily buckets %s..%s agree with SQL row by row', async (start, end) => {
    const { body } = await t.get<Trend>(`/trend?start_date=${start}&end_date=${end}`);
    const rows = await ref.rows<{ day: string; total: number; n: bigint }>(`SELECT CAST(day AS VARCHAR) AS day, SUM(cost) AS total, COUNT(*) AS n FROM (${convertedSql(TZ, 'USD')}) WHERE day BETWEEN DATE '${start}' AND DATE '${end}' GROUP BY 1 ORDER BY 1`);
    expect(body.data.map((x) => x.period)).toEqual(rows.map((r) => r.day));
    body.data.forEach((x, i) => {
      expect(x.record_count).toBe(Number(rows[i]!.n));
      expect(Math.abs(x.total_cost - rows[i]!.total)).toBeLessThanOrEqual(0.01 + 1e-9);
    });
    // The short and the long day hold 23/24 and 25/24 of their neighbours' hourly cloud rows.
    const [{ short, long, normal }] = (await ref.rows<{ short: bigint; long: bigint; normal: bigint }>(`
      SELECT COUNT(*) FILTER (WHERE day = DATE '2026-03-08') AS short, COUNT(*) FILTER (WHERE day = DATE '2026-11-01') AS long, COUNT(*) FILTER (WHERE day = DATE '2026-03-09') AS normal
      FROM (${convertedSql(TZ, 'USD')}) WHERE x_CostCategory = 'cloud'`)) as [{ short: bigint; long: bigint; normal: bigint }];
    expect(Number(short)).toBeLessThan(Number(normal));
    expect(Number(long)).toBeGreaterThan(Number(normal));
  });

  it('a one-day summary of the short and the long day counts exactly their rows', async () => {
    for (const day of ['2026-03-08', '2026-11-01']) {
      const { body } = await t.get<{ summary: { record_count: number; total_cost: number; daily_trend: unknown[] } }>(`/summary?start_date=${day}&end_date=${day}`);
      const [sql] = await ref.rows<{ n: bigint; total: number }>(`SELECT COUNT(*) AS n, SUM(cost) AS total FROM (${convertedSql(TZ, 'USD')}) WHERE day = DATE '${day}'`);
      expect(body.summary.record_count).toBe(Number(sql!.n));
      expect(body.summary.total_cost).toBe(Math.round(sql!.total * 100) / 100);
      expect(body.summary.daily_trend).toHaveLength(1);
    }
  });
});
