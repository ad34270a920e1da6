import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COST_TABLE } from '../../../shared/src/costs/ledger/store.js';
import { COST_LIMITS } from '../../../shared/src/costs/limits.js';
import { zoneOffsets } from '../../../shared/src/costs/analytics/zone.js';
import { costsApp, convertedSql, referenceEngine } from './support.js';

/**
 * /trend-granular and the hierarchy filters on a New York org (DST on 2026-03-08 and 2026-11-01
 * inside the ranges), each answer recomputed from the raw rows in DuckDB SQL (timezone(), the
 * rate of the row's local day). Two rows under /DEPT-X/PROJ-1 and /DEPT-X/PROJ-10 check that a
 * path or entity filter matches whole segments.
 */
const TZ = 'America/New_York';
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

type Row = { date: string; provider: string; category: string; total_cost: number; record_count: number; hierarchy_entity_id: string | null; hierarchy_path: string | null };
type Granular = { data: Row[]; cache_hit: boolean; date_range: { start_date: string; end_date: string }; summary: { total_cost: number; record_count: number; granular_rows: number; date_range: { start: string; end: string }; available_filters: Record<string, unknown> } };

async function insertAllocated(id: string, path: string, entity: string, cost: string, at: string, names = `DEPT-X > ${entity}`, category: string | null = 'cloud') {
  const wh = t.deps.warehouse;
  await wh.execute({
    sql: `INSERT INTO ${wh.table('gran_ny_prod', COST_TABLE)} (BilledCost, EffectiveCost, ListCost, ContractedCost, BillingCurrency, ProviderName, ServiceCategory, ServiceName, x_CostCategory,
            ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId, x_HierarchyEntityId, x_HierarchyEntityName, x_HierarchyLevelCode, x_HierarchyPath, x_HierarchyPathNames)
          VALUES (@cost, @cost, @cost, @cost, 'USD', 'AWS', 'Compute', 'EC2', @category, @start, @end, @id, @entity, @entity, 'business_unit', @path, @names)`,
    params: { cost, start: new Date(at), end: new Date(Date.parse(at) + 3_600_000), id, entity, path, names, category },
    types: { cost: 'NUMERIC', start: 'TIMESTAMP', end: 'TIMESTAMP', category: 'STRING' },
  });
}

beforeAll(async () => {
  t = await costsApp({ slug: 'gran_ny', currency: 'EUR', timezone: TZ, now: '2026-11-05T18:00:00Z' }, { days: 260, rowsPerDay: 60, seed: 11, end: '2026-11-05' });
  await insertAllocated('x-proj-1', '/DEPT-X/PROJ-1', 'PROJ-1', '100', '2026-11-02T15:00:00Z');
  await insertAllocated('x-proj-10', '/DEPT-X/PROJ-10', 'PROJ-10', '1000', '2026-11-02T15:00:00Z');
  // A row of no cost category (none is written by the pipelines): the web app's `other`.
  await insertAllocated('x-uncategorized', '/DEPT-X/PROJ-10', 'PROJ-10', '3', '2026-11-03T15:00:00Z', 'DEPT-X > PROJ-10', null);
  ref = await referenceEngine(t.deps.warehouse, 'gran_ny_prod');
});
afterAll(() => ref.close());

const CATEGORY = "CASE x_CostCategory WHEN 'llm' THEN 'genai' WHEN 'saas' THEN 'subscription' WHEN 'cloud' THEN 'cloud' ELSE 'other' END";

describe('GET /costs/{org}/trend-granular', () => {
  it('one row per local day × provider × category × entity, agreeing with SQL across both DST changes', async () => {
    const { status, body } = await t.get<Granular>('/trend-granular?start_date=2026-03-01&end_date=2026-11-05');
    expect(status).toBe(200);
    const sql = await ref.rows<{ day: string; provider: string; category: string; entity: string | null; total: number; n: bigint }>(`
      SELECT CAST(day AS VARCHAR) AS day, ProviderName AS provider, ${CATEGORY} AS category, x_HierarchyEntityId AS entity, SUM(cost) AS total, COUNT(*) AS n
      FROM (${convertedSql(TZ, 'EUR', ['x_HierarchyEntityId'])}) WHERE day BETWEEN DATE '2026-03-01' AND DATE '2026-11-05' GROUP BY ALL`);
    const key = (d: string, p: string, c: string, e: string | null) => `${d}|${p}|${c}|${e ?? ''}`;
    const want = new Map(sql.map((r) => [key(r.day, r.provider, r.category, r.entity), r]));
    expect(body.data.length).toBe(want.size);
    for (const r of body.data) {
      const w = want.get(key(r.date, r.provider, r.category, r.hierarchy_entity_id));
      expect(w, key(r.date, r.provider, r.category, r.hierarchy_entity_id)).toBeDefined();
      expect(r.record_count).toBe(Number(w!.n));
      expect(Math.abs(r.total_cost - w!.total)).toBeLessThanOrEqual(0.01 + 1e-9);
    }
    // The short and the long local day hold their own rows (the original cut the server's days).
    for (const day of ['2026-03-08', '2026-11-01']) {
      const got = body.data.filter((r) => r.date === day).reduce((a, r) => a + r.record_count, 0);
      expect(got).toBe(sql.filter((r) => r.day === day).reduce((a, r) => a + Number(r.n), 0));
    }
    const cents = (x: number) => Math.round(x * 100);
    expect(body.data.reduce((a, r) => a + cents(r.total_cost), 0)).toBe(cents(body.summary.total_cost));
    expect(body.summary.granular_rows).toBe(body.data.length);
    expect(body.summary.date_range).toEqual({ start: '2026-03-01', end: '2026-11-05' });
    expect(body.summary.available_filters.departments).toEqual(expect.arrayContaining([
      { id: 'DEPT-CIO', name: 'Group CIO', path: '/DEPT-CIO' }, { id: 'DEPT-COO', name: 'Group COO', path: '/DEPT-COO' }, { id: 'DEPT-X', name: 'DEPT-X', path: '/DEPT-X' },
    ]));
    expect(body.summary.available_filters.projects).toEqual(expect.arrayContaining([
      { id: 'PROJ-1', name: 'PROJ-1', path: '/DEPT-X/PROJ-1' }, { id: 'PROJ-CTO', name: 'Engineering', path: '/DEPT-CIO/PROJ-CTO' },
    ]));
    expect(body.summary.available_filters.teams).toEqual(expect.arrayContaining([{ id: 'TEAM-DATA', name: 'Data', path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA' }]));
    expect(body.summary.available_filters.categories).toEqual(['cloud', 'genai', 'other', 'subscription']);
  });

  it('days=N is the last N local days up to today; beyond 730 days is 422', async () => {
    const { body } = await t.get<Granular>('/trend-granular?days=730');
    expect(body.date_range).toMatchObject({ start_date: '2024-11-06', end_date: '2026-11-05' });
    expect((await t.get<Granular>('/trend-granular')).body.date_range).toMatchObject({ start_date: '2025-11-06', end_date: '2026-11-05' });
    for (const bad of ['days=0', 'days=731', 'start_date=2024-01-01&end_date=2026-11-05', 'clear_cache=yes']) expect((await t.get(`/trend-granular?${bad}`)).status, bad).toBe(422);
  });

  it('the reduction is by local day in the warehouse: a zone with DST changes gives their instants to the SQL', () => {
    const z = zoneOffsets(TZ, new Date('2026-01-01T05:00:00Z'), new Date('2027-01-01T05:00:00Z'));
    expect(z.initial).toBe(-5 * 3600);
    expect(z.changes.map((c) => [c.at.toISOString(), c.offset])).toEqual([['2026-03-08T07:00:00.000Z', -4 * 3600], ['2026-11-01T06:00:00.000Z', -5 * 3600]]);
    expect(zoneOffsets('Asia/Kolkata', new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual({ initial: 19_800, changes: [] });
  });

  it('few round-trips: one reduction beside the rates, the month to date of /total beside its period', async () => {
    const lines = (t.deps as unknown as { logger: { lines: Record<string, unknown>[] } }).logger.lines;
    const last = async (path: string) => {
      expect((await t.get(path)).status).toBe(200);
      const l = lines.filter((x) => String(x.message ?? '').startsWith('GET ')).slice(-1)[0]!;
      return { calls: l.warehouse_calls as number, depth: l.warehouse_depth as number };
    };
    await last('/trend-granular?days=7'); // profile and rates warm, as on a serving instance
    const gran = await last('/trend-granular?days=730&clear_cache=true');
    const total = await last('/total?start_date=2025-11-01&end_date=2025-11-30');
    const totalMtd = await last('/total?start_date=2026-11-01&end_date=2026-11-05');
    // 730 local days × every key: one statement (the reduction by local day).
    expect(gran).toEqual({ calls: 1, depth: 1 });
    // A range without the month to date reduces that month beside it, at the same depth.
    expect(totalMtd).toEqual({ calls: 1, depth: 1 });
    expect(total).toEqual({ calls: 2, depth: 1 });
  });

  describe('bounds', () => {
    const saved = COST_LIMITS.granularRows;
    afterEach(() => { COST_LIMITS.granularRows = saved; });
    it('more rows than granularRows is a 422 naming days, never a large answer', async () => {
      COST_LIMITS.granularRows = 50;
      const r = await t.get<{ details: { fields: Record<string, string[]> } }>('/trend-granular?days=30&clear_cache=true');
      expect(r.status).toBe(422);
      expect(Object.keys(r.body.details.fields)).toContain('days');
    });
  });

});

describe('hierarchy and category filters', () => {
  type Total = { total: { total_cost: number; record_count: number }; cloud: { record_count: number }; llm: { total_cost: number }; saas: { total_cost: number } };
  const RANGE = 'start_date=2026-11-01&end_date=2026-11-05';
  const count = async (where: string) => Number((await ref.rows<{ n: bigint }>(`SELECT COUNT(*) AS n FROM (${convertedSql(TZ, 'EUR', ['x_HierarchyPath', 'x_HierarchyEntityId'])}) WHERE day BETWEEN DATE '2026-11-01' AND DATE '2026-11-05' AND ${where}`))[0]!.n);

  it('a path or an entity matches whole segments: /DEPT-X/PROJ-1 is not /DEPT-X/PROJ-10', async () => {
    const one = await t.get<Total>(`/total?${RANGE}&hierarchy_path=%2FDEPT-X%2FPROJ-1`);
    expect(one.status).toBe(200);
    expect(one.body.total.record_count).toBe(await count("x_HierarchyPath = '/DEPT-X/PROJ-1'"));
    expect(one.body.total.total_cost).toBeLessThan(200);
    expect((await t.get<Total>(`/total?${RANGE}&hierarchy_entity_id=PROJ-1`)).body.total.record_count).toBe(one.body.total.record_count);
    expect((await t.get<Total>(`/total?${RANGE}&hierarchy_path=%2FDEPT-X`)).body.total.record_count).toBe(await count("x_HierarchyPath LIKE '/DEPT-X/%'"));
    expect((await t.get<Total>(`/total?${RANGE}&department_id=DEPT-X`)).body.total.record_count).toBe(await count("x_HierarchyPath LIKE '/DEPT-X/%'"));
  });

  it('an entity filter holds its subtree; department/project/team ids are entity filters of their levels', async () => {
    const cio = await count("(x_HierarchyPath = '/DEPT-CIO' OR x_HierarchyPath LIKE '/DEPT-CIO/%')");
    expect(cio).toBeGreaterThan(0);
    expect((await t.get<Total>(`/total?${RANGE}&hierarchy_entity_id=DEPT-CIO`)).body.total.record_count).toBe(cio);
    expect((await t.get<Total>(`/total?${RANGE}&department_id=DEPT-CIO`)).body.total.record_count).toBe(cio);
    const cto = await count("(x_HierarchyPath LIKE '/DEPT-CIO/PROJ-CTO/%' OR x_HierarchyPath = '/DEPT-CIO/PROJ-CTO')");
    expect((await t.get<Total>(`/total?${RANGE}&project_id=PROJ-CTO`)).body.total.record_count).toBe(cto);
    expect((await t.get<Total>(`/total?${RANGE}&team_id=TEAM-DATA&department_id=DEPT-CIO`)).body.total.record_count).toBe(await count("x_HierarchyEntityId = 'TEAM-DATA'"));
    // Filters AND: a team under another department matches nothing.
    expect((await t.get<Total>(`/total?${RANGE}&team_id=TEAM-DATA&department_id=DEPT-COO`)).body.total.record_count).toBe(0);
  });

  it('bad ids and paths are 422 naming the field', async () => {
    for (const [q, field] of [['hierarchy_entity_id=a%27b', 'hierarchy_entity_id'], ['hierarchy_path=DEPT-X', 'hierarchy_path'], ['hierarchy_path=%2FDEPT-X%2F..%2F', 'hierarchy_path'], ['team_id=a%20b', 'team_id']] as const) {
      const r = await t.get<{ details: { fields: Record<string, string[]> } }>(`/total?${RANGE}&${q}`);
      expect(r.status, q).toBe(422);
      expect(Object.keys(r.body.details.fields).join(), q).toContain(field);
    }
  });

  it("service_categories takes the web app's categories (x_CostCategory) beside FOCUS ServiceCategory values, matching either", async () => {
    const all = (await t.get<Total>(`/total?${RANGE}`)).body;
    const genai = (await t.get<Total>(`/total?${RANGE}&service_categories=genai`)).body;
    // The same rows; each answer rounds its parts to add up to its own total, so a cent may move.
    const cent = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(0.01 + 1e-9);
    cent(genai.llm.total_cost, all.llm.total_cost);
    expect(genai.saas.total_cost).toBe(0);
    expect(genai.cloud.record_count).toBe(0);
    const both = (await t.get<Total>(`/total?${RANGE}&service_categories=Compute,subscription`)).body;
    cent(both.saas.total_cost, all.saas.total_cost);
    expect(both.cloud.record_count).toBe(await count("ServiceCategory = 'Compute' AND x_CostCategory = 'cloud'"));
    expect(both.llm.total_cost).toBe(0);
    expect((await t.get(`/total?${RANGE}&service_categories=gen_ai`)).status).toBe(422);
    const other = (await t.get<Total>(`/total?${RANGE}&service_categories=other`)).body;
    expect(other.total.record_count).toBe(1);
    expect(other.total.total_cost).toBeGreaterThan(0);
    expect((await t.get<Total>(`/total?${RANGE}&service_categories=other,genai`)).body.total.record_count).toBe(1 + (await count("x_CostCategory = 'llm'")));
  });

  it('/trend?category= is the category alone, and agrees with /total', async () => {
    const total = (await t.get<Total>(`/total?${RANGE}`)).body;
    const trend = (await t.get<{ summary: { total_cost: number }; data: { date: string; period: string }[] }>(`/trend?${RANGE}&category=subscription`)).body;
    // The same cost; /total rounds its parts to add up to the total, so a cent may move.
    expect(Math.abs(trend.summary.total_cost - total.saas.total_cost)).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(trend.data.every((r) => r.date === r.period)).toBe(true);
  });
});

// Last: it adds a row the reference engine above does not hold.
describe('GET /costs/{org}/trend-granular cache', () => {
  it('clear_cache=true computes anew and replaces the cached answer (of this tenant only)', async () => {
    const first = await t.get<Granular>('/trend-granular?days=5');
    const again = await t.get<Granular>('/trend-granular?days=5');
    expect(again.body.cache_hit).toBe(true);
    await insertAllocated('late-row', '/DEPT-X/PROJ-1', 'PROJ-1', '7', '2026-11-05T15:00:00Z');
    expect((await t.get<Granular>('/trend-granular?days=5')).body.summary.record_count).toBe(first.body.summary.record_count);
    const fresh = await t.get<Granular>('/trend-granular?days=5&clear_cache=true');
    expect(fresh.body.cache_hit).toBe(false);
    expect(fresh.body.summary.record_count).toBe(first.body.summary.record_count + 1);
    // The refreshed answer is the one cached now.
    const after = await t.get<Granular>('/trend-granular?days=5');
    expect(after.body.cache_hit).toBe(true);
    expect(after.body.summary.record_count).toBe(first.body.summary.record_count + 1);
  });
});
