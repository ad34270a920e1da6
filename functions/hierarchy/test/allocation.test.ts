import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { costsApp } from '../../costs/test/support.js';
import { hierarchyApp } from './support/app.js';

/**
 * Label allocation rules (issue 18): rows the pipelines left untagged are allocated at query time
 * by the version in force on their local day, inside the cost reduction, so by-hierarchy and the
 * hierarchy filters see them; rows already tagged keep their tag. The seeded ledger leaves its
 * `team-7` projects untagged (shared/src/costs/seed/enterprise.ts).
 */
type ByH = { data: { entity_id: string; total_cost: number }[]; summary: { total_cost: number; unallocated: { total_cost: number } } };
type Summary = { summary: { total_cost: number } };
type DryRun = { total_cost: number; tagged_cost: number; allocated_cost: number; unallocated_cost: number; versions: { version: number | null; effective_from: string; allocated_cost: number; rules: { label_value: string; entity_id: string; cost: number }[] }[] };

const ORG = 'alloc_co';
const RANGE = 'start_date=2026-03-01&end_date=2026-03-19';
let t: Awaited<ReturnType<typeof costsApp>>;
let call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, any> }>;
const cents = (x: number) => Math.round(x * 100);

beforeAll(async () => {
  t = await costsApp({ slug: ORG, currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T06:00:00Z' }, { days: 25, rowsPerDay: 120, seed: 21, end: '2026-03-19', profile: 'enterprise' });
  const app = buildFunctionApp('hierarchy', routes, t.deps);
  call = async (method, path, body) => {
    const res = await app.fetch(new Request(`http://fn/api/v1/hierarchy/${ORG}${path}`, { method, headers: { 'x-api-key': t.key, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    return { status: res.status, body: await res.json() as Record<string, any> };
  };
  expect((await call('POST', '/entities/seed')).status).toBeLessThan(300);
});

describe('label allocation rules', () => {
  it('none stored: GET answers no current version; the dry run says what stays unallocated', async () => {
    const res = await call('GET', '/allocation-rules');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ org_slug: ORG, current: null, versions: [] });
    const dry = await call('POST', '/allocation-rules/dry-run', { start_date: '2026-03-01', end_date: '2026-03-19' });
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const d = dry.body as DryRun;
    expect(d.unallocated_cost).toBeGreaterThan(0);
    expect(d.allocated_cost).toBe(0);
    expect(cents(d.tagged_cost + d.unallocated_cost)).toBe(cents(d.total_cost));
  });

  it('a version from a date allocates untagged rows from that day on (by-hierarchy and the filters see them); earlier days and tagged rows stay as they were', async () => {
    const early = 'start_date=2026-03-01&end_date=2026-03-09';
    const late = 'start_date=2026-03-10&end_date=2026-03-19';
    const before = { all: await t.get<ByH>(`/by-hierarchy?${RANGE}`), early: await t.get<Summary>(`/summary?${early}&hierarchy_entity_id=TEAM-ARCH`), late: await t.get<Summary>(`/summary?${late}&hierarchy_entity_id=TEAM-ARCH`) };
    const draft = await call('POST', '/allocation-rules/dry-run', { start_date: '2026-03-10', end_date: '2026-03-19', rules: [{ label_key: 'team', label_value: 'team-7', entity_id: 'TEAM-ARCH' }] });
    expect(draft.status, JSON.stringify(draft.body)).toBe(200);
    const moved = (draft.body as DryRun).versions[0]!.rules[0]!.cost;
    expect(moved).toBeGreaterThan(0);

    const put = await call('PUT', '/allocation-rules', { effective_from: '2026-03-10', rules: [{ label_key: 'team', label_value: 'team-7', entity_id: 'team-arch' }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ version: 1, effective_from: '2026-03-10', label_keys: ['cost_center', 'team', 'department', 'entity_id'], rules: [{ entity_id: 'TEAM-ARCH' }] });

    const after = { all: await t.get<ByH>(`/by-hierarchy?${RANGE}`), early: await t.get<Summary>(`/summary?${early}&hierarchy_entity_id=TEAM-ARCH`), late: await t.get<Summary>(`/summary?${late}&hierarchy_entity_id=TEAM-ARCH`) };
    expect(after.early.body.summary.total_cost).toBe(before.early.body.summary.total_cost);
    expect(Math.abs(cents(after.late.body.summary.total_cost - before.late.body.summary.total_cost) - cents(moved))).toBeLessThanOrEqual(1);
    expect(after.all.body.summary.total_cost).toBe(before.all.body.summary.total_cost);
    expect(Math.abs(cents(before.all.body.summary.unallocated.total_cost - after.all.body.summary.unallocated.total_cost) - cents(moved))).toBeLessThanOrEqual(1);
    // TEAM-ARCH's department holds the allocated rows too (rolled up the current tree).
    const stored = await call('POST', '/allocation-rules/dry-run', { start_date: '2026-03-01', end_date: '2026-03-19' });
    expect(stored.body.versions[0]).toMatchObject({ version: 1, effective_from: '2026-03-10' });
    expect(cents(stored.body.versions[0].allocated_cost)).toBe(cents(moved));

    // A second version from a later day replaces it from then on only.
    const v2 = await call('PUT', '/allocation-rules', { effective_from: '2026-03-15', label_keys: ['team'], rules: [{ label_key: 'team', label_value: 'team-7', entity_id: 'TEAM-DATA' }] });
    expect(v2.status, JSON.stringify(v2.body)).toBe(200);
    const both = await call('POST', '/allocation-rules/dry-run', { start_date: '2026-03-01', end_date: '2026-03-19' });
    const [a, b] = both.body.versions as DryRun['versions'];
    expect(a!.allocated_cost).toBeGreaterThan(0);
    expect(b!.allocated_cost).toBeGreaterThan(0);
    expect(Math.abs(cents(a!.allocated_cost + b!.allocated_cost) - cents(moved))).toBeLessThanOrEqual(1);
    const got = await call('GET', '/allocation-rules');
    expect(got.body.current.version).toBe(2);
    expect(got.body.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('422 naming the field: a bad label key, a rule key not listed, an entity not in the tree, a bad or earlier date, a missing range', async () => {
    const ok = { label_key: 'team', label_value: 'x', entity_id: 'TEAM-DATA' };
    const cases: [unknown, string][] = [
      [{ effective_from: '2026-04-01', label_keys: ['Cost Center'], rules: [] }, 'label_keys[0]'],
      [{ effective_from: '2026-04-01', label_keys: ['env'], rules: [ok] }, 'rules[0].label_key'],
      [{ effective_from: '2026-04-01', rules: [{ ...ok, entity_id: 'TEAM-NOPE' }] }, 'rules[0].entity_id'],
      [{ effective_from: '2026-04-01', rules: [ok, ok] }, 'rules[1].label_value'],
      [{ effective_from: '2026-13-01', rules: [ok] }, 'effective_from'],
      [{ effective_from: '2026-03-01', rules: [ok] }, 'effective_from'],
    ];
    for (const [body, field] of cases) {
      const res = await call('PUT', '/allocation-rules', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(JSON.stringify(res.body.detail ?? res.body), JSON.stringify(body)).toContain(field);
    }
    const dry = await call('POST', '/allocation-rules/dry-run', { start_date: '2026-03-01', end_date: '2026-02-01' });
    expect(dry.status).toBe(422);
    expect(JSON.stringify(dry.body)).toContain('end_date');
    expect((await call('GET', '/allocation-rules')).body.versions).toHaveLength(2);
  });
});

describe('concurrent PUTs', () => {
  it('five identical PUTs at once make exactly one next version (the others 409)', async () => {
    const h = await hierarchyApp('alloc_race', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    expect((await h.call('POST', '/entities/seed')).status).toBeLessThan(300);
    const body = { effective_from: '2026-03-01', rules: [{ label_key: 'team', label_value: 'team-7', entity_id: 'TEAM-DATA' }] };
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.call('PUT', '/allocation-rules', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409]);
    const rows = await h.deps.warehouse.query({ sql: `SELECT version FROM ${h.deps.warehouse.table('organizations', 'org_hierarchy_allocation_rules')} WHERE org_slug = @org AND row_kind = 'version'`, params: { org: 'alloc_race' } });
    expect(rows.map((r) => Number(r.version))).toEqual([1]);
  });
});
