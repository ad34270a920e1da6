import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costsApp, convertedSql, referenceEngine } from './support.js';

/**
 * The README demo: an org in Asia/Kolkata reporting in INR, with seeded GCP, LLM and SaaS rows
 * in USD, EUR and INR. Its summary is recomputed from the raw rows by another engine (DuckDB's
 * own SQL over the exported ledger, with the ECB CSV) to the cent, in USD, INR and JPY.
 */
type Summary = {
  total_cost: number; total_billed_cost: number; record_count: number; min_date: string; max_date: string;
  breakdown_by_provider: { provider: string; total_cost: number }[];
  breakdown_by_category: { category: string; total_cost: number }[];
  daily_trend: { date: string; total_cost: number }[];
  top_services: { total_cost: number }[];
  previous_period: { total_cost: number; start_date: string; end_date: string };
  mtd_cost: number; forecast_month_end: number;
};
type Body = { success: boolean; currency: string; summary: Summary; cache_hit: boolean; exchange_rates: { rates: { from: string; to: string }[] } };

let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_in', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 50, rowsPerDay: 300, seed: 11, end: '2026-03-20' });
  ref = await referenceEngine(t.deps.warehouse, 'acme_in_prod');
});
afterAll(() => ref.close());

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

describe('GET /costs/{org}/summary', () => {
  it.each([['USD', 2], ['INR', 2], ['JPY', 0]] as const)('totals in %s agree with an independent SQL recomputation to the minor unit', async (currency, d) => {
    const { status, body } = await t.get<Body>(`/summary?start_date=2026-03-01&end_date=2026-03-20&currency=${currency}`);
    expect(status).toBe(200);
    expect(body.currency).toBe(currency);
    const [sql] = await ref.rows<{ total: number; n: bigint }>(`SELECT SUM(cost) AS total, COUNT(*) AS n FROM (${convertedSql('Asia/Kolkata', currency)}) WHERE day BETWEEN DATE '2026-03-01' AND DATE '2026-03-20'`);
    expect(body.summary.total_cost).toBe(round(sql!.total, d));
    expect(body.summary.record_count).toBe(Number(sql!.n));
    const byDay = await ref.rows<{ day: string; total: number }>(`SELECT CAST(day AS VARCHAR) AS day, SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', currency)}) WHERE day BETWEEN DATE '2026-03-01' AND DATE '2026-03-20' GROUP BY day ORDER BY day`);
    expect(body.summary.daily_trend.map((x) => x.date)).toEqual(byDay.map((x) => x.day));
    // Each day within one minor unit (largest-remainder rounding may move one), summing exactly to the total.
    body.summary.daily_trend.forEach((x, i) => expect(Math.abs(x.total_cost - byDay[i]!.total)).toBeLessThanOrEqual(10 ** -d + 1e-9));
    const [prev] = await ref.rows<{ total: number }>(`SELECT SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', currency)}) WHERE day BETWEEN DATE '2026-02-09' AND DATE '2026-02-28'`);
    expect(body.summary.previous_period).toMatchObject({ start_date: '2026-02-09', end_date: '2026-02-28', total_cost: round(prev!.total, d) });
  });

  it('buckets by the org\'s local day: rows of 18:30-24:00 UTC belong to the next Kolkata day', async () => {
    const [moved] = await ref.rows<{ n: bigint }>(`SELECT COUNT(*) AS n FROM (${convertedSql('Asia/Kolkata', 'INR')}) WHERE day <> utc_day`);
    expect(Number(moved!.n)).toBeGreaterThan(0);
    const [{ local, utc }] = (await ref.rows<{ local: number; utc: number }>(`SELECT SUM(cost) FILTER (WHERE day = DATE '2026-03-10') AS local, SUM(cost) FILTER (WHERE utc_day = DATE '2026-03-10') AS utc FROM (${convertedSql('Asia/Kolkata', 'INR')})`)) as [{ local: number; utc: number }];
    const { body } = await t.get<Body>('/summary?start_date=2026-03-10&end_date=2026-03-10');
    expect(body.summary.total_cost).toBe(round(local, 2));
    expect(body.summary.total_cost).not.toBe(round(utc, 2));
  });

  it('parts add up to the total after rounding (providers, categories, days, top services)', async () => {
    for (const currency of ['INR', 'JPY', 'KWD']) {
      const { body } = await t.get<Body>(`/summary?start_date=2026-02-01&end_date=2026-03-20&currency=${currency}`);
      const d = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
      const sum = (xs: { total_cost: number }[]) => round(xs.reduce((a, x) => a + x.total_cost, 0), d);
      for (const parts of [body.summary.breakdown_by_provider, body.summary.breakdown_by_category, body.summary.daily_trend, body.summary.top_services]) {
        expect(sum(parts)).toBe(body.summary.total_cost);
        for (const p of parts) expect(round(p.total_cost, d)).toBe(p.total_cost);
      }
    }
  });

  it('defaults to the month to date of the org\'s local today, names the rates it used, and caches', async () => {
    const first = await t.get<Body & { date_range: { start_date: string; end_date: string } }>('/summary');
    expect(first.body.date_range).toEqual({ start_date: '2026-03-01', end_date: '2026-03-20', start: '2026-03-01', end: '2026-03-20' });
    expect(first.body.cache_hit).toBe(false);
    expect(first.body.exchange_rates.rates.map((r) => `${r.from}->${r.to}`).sort()).toEqual(['EUR->INR', 'USD->INR']);
    const again = await t.get<Body>('/summary');
    expect(again.body.cache_hit).toBe(true);
    expect(again.body.summary).toEqual(first.body.summary);
  });

  it('flags KWD as an approximation', async () => {
    const r = await t.get<{ exchange_rates: { rates: { from: string; approximation: boolean; carried_forward: boolean }[] } }>('/summary?start_date=2026-03-01&end_date=2026-03-20&currency=KWD');
    expect(r.body.exchange_rates.rates.find((x) => x.from === 'USD')).toMatchObject({ approximation: true, carried_forward: false });
    const inr = await t.get<{ exchange_rates: { rates: { from: string; approximation: boolean }[] } }>('/summary?start_date=2026-03-01&end_date=2026-03-20');
    expect(inr.body.exchange_rates.rates.every((x) => !x.approximation)).toBe(true);
  });

  it('answers zeros and empty lists for a range without rows', async () => {
    const { status, body } = await t.get<Body>('/summary?start_date=2025-01-01&end_date=2025-01-31');
    expect(status).toBe(200);
    expect(body.summary).toMatchObject({ total_cost: 0, record_count: 0, breakdown_by_provider: [], daily_trend: [], top_services: [] });
  });

  it.each([
    ['end before start', '?start_date=2026-03-10&end_date=2026-03-01'],
    ['more than 400 days', '?start_date=2025-01-01&end_date=2026-03-01'],
    ['a malformed date', '?start_date=2026-02-30'],
    ['an unknown provider', '?providers=gcp,nope'],
    ['an unknown service category', '?service_categories=Compute,Teleportation'],
    ['an unknown currency', '?currency=XYZ'],
  ])('refuses %s with 422', async (_, query) => {
    const { status, body } = await t.get<{ error: string }>(`/summary${query}`);
    expect(status).toBe(422);
    expect(body.error).toBe('VALIDATION_ERROR');
  });

  it('filters by provider slug and FOCUS service category', async () => {
    const { body } = await t.get<Body>('/summary?start_date=2026-03-01&end_date=2026-03-20&providers=gcp&service_categories=compute&currency=USD');
    expect(body.summary.breakdown_by_provider.map((p) => p.provider)).toEqual(['Google Cloud']);
    const [sql] = await ref.rows<{ total: number }>(`SELECT SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', 'USD')}) WHERE day BETWEEN DATE '2026-03-01' AND DATE '2026-03-20' AND ProviderName = 'Google Cloud' AND ServiceCategory = 'Compute'`);
    expect(body.summary.total_cost).toBe(round(sql!.total, 2));
  });
});
