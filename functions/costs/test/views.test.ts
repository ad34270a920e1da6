import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costsApp, convertedSql, referenceEngine } from './support.js';

/**
 * /trend, /llm (/genai), /total and /pivot on the README demo org (Asia/Kolkata, INR), each
 * recomputed from the raw rows in DuckDB SQL (local days, rate of the row's local day).
 */
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_vw', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 50, rowsPerDay: 200, seed: 5, end: '2026-03-20' });
  ref = await referenceEngine(t.deps.warehouse, 'acme_vw_prod');
});
afterAll(() => ref.close());

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const sumOf = (xs: number[], d = 2) => round(xs.reduce((a, b) => a + b, 0), d);
const RANGE = 'start_date=2026-02-03&end_date=2026-03-20';
const inRange = "day BETWEEN DATE '2026-02-03' AND DATE '2026-03-20'";

type Env<D, S> = { success: boolean; data: D; summary: S; currency: string; date_range: { start_date: string; end_date: string } };

describe('GET /costs/{org}/trend', () => {
  it.each(['daily', 'weekly', 'monthly'] as const)('%s buckets agree with SQL and add up to the total', async (g) => {
    const { status, body } = await t.get<Env<{ period: string; start_date: string; end_date: string; total_cost: number; record_count: number }[], { total_cost: number }>>(`/trend?${RANGE}&granularity=${g}`);
    expect(status).toBe(200);
    const bucket = g === 'daily' ? 'day' : g === 'weekly' ? "date_trunc('week', day)" : "date_trunc('month', day)";
    const rows = await ref.rows<{ p: string; total: number; n: bigint }>(`SELECT CAST(CAST(${bucket} AS DATE) AS VARCHAR) AS p, SUM(cost) AS total, COUNT(*) AS n FROM (${convertedSql('Asia/Kolkata', 'INR')}) WHERE ${inRange} GROUP BY 1 ORDER BY 1`);
    expect(body.data.map((x) => (g === 'monthly' ? `${x.period}-01` : x.period))).toEqual(rows.map((r) => r.p));
    body.data.forEach((x, i) => {
      expect(Math.abs(x.total_cost - rows[i]!.total)).toBeLessThanOrEqual(0.01 + 1e-9);
      expect(x.record_count).toBe(Number(rows[i]!.n));
    });
    expect(sumOf(body.data.map((x) => x.total_cost))).toBe(body.summary.total_cost);
    // A week or month cut by the range says which days it holds.
    expect(body.data[0]!.start_date).toBe('2026-02-03');
    expect(body.data[body.data.length - 1]!.end_date).toBe('2026-03-20');
  });

  it('days=N is the last N local days up to today; out of range is 422', async () => {
    const { body } = await t.get<Env<unknown[], unknown>>('/trend?days=7');
    expect(body.date_range).toEqual({ start_date: '2026-03-14', end_date: '2026-03-20', start: '2026-03-14', end: '2026-03-20' });
    expect(body.data).toHaveLength(7);
    for (const bad of ['days=0', 'days=366', 'granularity=hourly']) expect((await t.get(`/trend?${bad}`)).status).toBe(422);
  });
});

describe('GET /costs/{org}/llm and /genai', () => {
  it('cost and tokens per model agree with SQL; cost per 1k tokens follows', async () => {
    const { status, body } = await t.get<Env<{ provider: string; model: string; total_cost: number; input_tokens: number; output_tokens: number; total_tokens: number; cost_per_1k_tokens: number | null }[], { total_cost: number; total_tokens: number }>>(`/llm?${RANGE}`);
    expect(status).toBe(200);
    const rows = await ref.rows<{ model: string; total: number; tin: bigint; tout: bigint }>(`
      SELECT x_Model AS model, SUM(cost) AS total, SUM(x_InputTokens) AS tin, SUM(x_OutputTokens) AS tout
      FROM (${convertedSql('Asia/Kolkata', 'INR', ['x_Model', 'x_InputTokens', 'x_OutputTokens'])})
      WHERE x_CostCategory = 'llm' AND ${inRange} GROUP BY 1`);
    expect(rows.length).toBeGreaterThan(1);
    expect(body.data.map((x) => x.model).sort()).toEqual(rows.map((r) => r.model).sort());
    for (const r of rows) {
      const got = body.data.find((x) => x.model === r.model)!;
      expect(Math.abs(got.total_cost - r.total)).toBeLessThanOrEqual(0.01 + 1e-9);
      expect(got.input_tokens).toBe(Number(r.tin));
      expect(got.output_tokens).toBe(Number(r.tout));
      expect(got.cost_per_1k_tokens).toBeCloseTo((r.total / Number(r.tin + r.tout)) * 1000, 5);
    }
    expect(sumOf(body.data.map((x) => x.total_cost))).toBe(body.summary.total_cost);
    const genai = await t.get<Env<unknown, unknown>>(`/genai?${RANGE}`);
    expect(genai.body.data).toEqual(body.data);
  });
});

describe('GET /costs/{org}/total', () => {
  it('saas + cloud + llm = total, each agreeing with SQL, at the top level as the original had it', async () => {
    for (const currency of ['INR', 'JPY']) {
      const d = currency === 'JPY' ? 0 : 2;
      const { body } = await t.get<Record<string, { total_cost: number }> & { currency: string; date_range: unknown }>(`/total?${RANGE}&currency=${currency}`);
      const rows = await ref.rows<{ cat: string; total: number }>(`SELECT x_CostCategory AS cat, SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', currency)}) WHERE ${inRange} GROUP BY 1`);
      const grand = rows.reduce((a, r) => a + r.total, 0);
      expect(body.total!.total_cost).toBe(round(grand, d));
      for (const r of rows) expect(Math.abs(body[r.cat]!.total_cost - r.total)).toBeLessThanOrEqual(10 ** -d + 1e-9);
      expect(round(body.saas!.total_cost + body.cloud!.total_cost + body.llm!.total_cost, d)).toBe(body.total!.total_cost);
      expect(body.currency).toBe(currency);
      expect(body.date_range).toEqual({ start_date: '2026-02-03', end_date: '2026-03-20', start: '2026-02-03', end: '2026-03-20' });
    }
  });
});

describe('GET /costs/{org}/pivot', () => {
  it('provider × month: cells agree with SQL; rows add up to their totals and the totals to the grand total', async () => {
    const { status, body } = await t.get<Env<{ key: string; values: number[]; total: number }[], { columns: string[]; column_totals: number[]; total: number }>>(`/pivot?${RANGE}&rows=ProviderName&columns=month&value=BilledCost`);
    expect(status).toBe(200);
    expect(body.summary.columns).toEqual(['2026-02', '2026-03']);
    const cells = await ref.rows<{ p: string; m: string; total: number }>(`
      SELECT ProviderName AS p, strftime(day, '%Y-%m') AS m, SUM(CAST(BilledCost AS DOUBLE) * (cost / NULLIF(CAST(EffectiveCost AS DOUBLE), 0))) AS total
      FROM (${convertedSql('Asia/Kolkata', 'INR')}) WHERE ${inRange} GROUP BY 1, 2`);
    for (const c of cells) {
      const row = body.data.find((r) => r.key === c.p)!;
      expect(Math.abs(row.values[body.summary.columns.indexOf(c.m)]! - c.total)).toBeLessThanOrEqual(0.01 + 1e-9);
    }
    for (const r of body.data) expect(sumOf(r.values)).toBe(r.total);
    expect(sumOf(body.data.map((r) => r.total))).toBe(body.summary.total);
    expect(sumOf(body.summary.column_totals)).toBe(body.summary.total);
  });

  it('column by another ledger column; rows = columns and unknown columns are 422', async () => {
    const { body } = await t.get<Env<{ key: string }[], { columns: string[] }>>(`/pivot?${RANGE}&rows=x_CostCategory&columns=BillingCurrency`);
    expect(body.data.map((r) => r.key).sort()).toEqual(['cloud', 'llm', 'saas']);
    expect(body.summary.columns).toEqual(expect.arrayContaining(['USD', 'EUR']));
    expect((await t.get(`/pivot?rows=ProviderName&columns=ProviderName`)).status).toBe(422);
    expect((await t.get(`/pivot?rows=Password&columns=day`)).status).toBe(422);
  });
});
