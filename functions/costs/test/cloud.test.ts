import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costsApp, convertedSql, referenceEngine } from './support.js';

/** GET /costs/{org}/cloud on a seeded ledger: only x_CostCategory cloud, per service, agreeing with SQL. */
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_cl', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 20, rowsPerDay: 200, seed: 7, end: '2026-03-20' });
  ref = await referenceEngine(t.deps.warehouse, 'acme_cl_prod');
});
afterAll(() => ref.close());

type Body = { success: boolean; data: { service: string; provider: string | null; total_cost: number; record_count: number }[]; summary: { total_cost: number; service_count: number } };

describe('GET /costs/{org}/cloud', () => {
  it('answers 200 with cloud services only, agreeing with SQL', async () => {
    const { status, body } = await t.get<Body>('/cloud?start_date=2026-03-05&end_date=2026-03-20');
    expect(status, JSON.stringify(body)).toBe(200);
    const rows = await ref.rows<{ service: string; total: number; n: bigint }>(`SELECT ServiceName AS service, SUM(cost) AS total, COUNT(*) AS n FROM (${convertedSql('Asia/Kolkata', 'INR', ['ServiceName'])}) WHERE x_CostCategory = 'cloud' AND day BETWEEN DATE '2026-03-05' AND DATE '2026-03-20' GROUP BY 1`);
    expect(rows.length).toBeGreaterThan(1);
    expect(body.data.map((x) => x.service).sort()).toEqual(rows.map((r) => r.service).sort());
    for (const r of rows) {
      const got = body.data.find((x) => x.service === r.service)!;
      expect(Math.abs(got.total_cost - r.total)).toBeLessThanOrEqual(0.01 + 1e-9);
      expect(got.record_count).toBe(Number(r.n));
    }
    const grand = rows.reduce((a, r) => a + r.total, 0);
    expect(body.summary.total_cost).toBe(Math.round(grand * 100) / 100);
    // by-service unfiltered holds the SaaS and LLM services too.
    const all = await t.get<Body>('/by-service?start_date=2026-03-05&end_date=2026-03-20');
    expect(all.body.summary.total_cost).toBeGreaterThan(body.summary.total_cost);
  });
});
