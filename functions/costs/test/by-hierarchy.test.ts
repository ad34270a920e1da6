import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as hierarchyRoutes } from '../../hierarchy/src/routes.js';
import { costsApp } from './support.js';

/**
 * GET /costs/{org}/by-hierarchy: each entity of a level holds its subtree's costs in the current
 * tree (a move moves them), beside what is allocated above the level and what is unallocated;
 * the parts add up to the total. Checked against /summary filtered to each entity's subtree.
 */
type Row = { entity_id: string; level_code: string; total_cost: number; direct_cost: number; record_count: number };
type Answer = { data: Row[]; summary: { total_cost: number; level_code: string; allocated_above_level: { total_cost: number }; unallocated: { total_cost: number } }; detail?: string };
type Summary = { summary: { total_cost: number } };

const RANGE = 'start_date=2026-03-01&end_date=2026-03-19';
let t: Awaited<ReturnType<typeof costsApp>>;
let hierarchy: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

beforeAll(async () => {
  t = await costsApp({ slug: 'tree_co', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T06:00:00Z' }, { days: 25, rowsPerDay: 120, seed: 21, end: '2026-03-19' });
  const app = buildFunctionApp('hierarchy', hierarchyRoutes, t.deps);
  hierarchy = async (method, path, body) => {
    const res = await app.fetch(new Request(`http://fn/api/v1/hierarchy/tree_co${path}`, { method, headers: { 'x-api-key': t.key, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    return { status: res.status, body: await res.json() };
  };
  expect((await hierarchy('POST', '/entities/seed')).status).toBeLessThan(300);
});

const sum = (xs: number[]) => Math.round(xs.reduce((a, b) => a + b, 0) * 100);

describe('cost per hierarchy entity, rolled up', () => {
  it('departments (the default level) each hold their subtree, equal to /summary filtered to it; with unallocated they add up to the total', async () => {
    const res = await t.get<Answer>(`/by-hierarchy?${RANGE}`);
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    const { data, summary } = res.body;
    expect(summary.level_code).toBe('c_suite');
    expect(data.map((r) => r.entity_id).sort()).toEqual(['DEPT-BIZ', 'DEPT-CFO', 'DEPT-CIO', 'DEPT-COO']);
    expect(summary.allocated_above_level.total_cost).toBe(0);
    expect(summary.unallocated.total_cost).toBeGreaterThan(0);
    expect(sum([...data.map((r) => r.total_cost), summary.unallocated.total_cost])).toBe(Math.round(summary.total_cost * 100));
    const total = await t.get<Summary>(`/summary?${RANGE}`);
    expect(summary.total_cost).toBe(total.body.summary.total_cost);
    for (const r of data) {
      const sub = await t.get<Summary>(`/summary?${RANGE}&hierarchy_entity_id=${r.entity_id}`);
      expect(Math.abs(Math.round(r.total_cost * 100) - Math.round(sub.body.summary.total_cost * 100)), r.entity_id).toBeLessThanOrEqual(1);
    }
  });

  it('teams: rows allocated to a department or project are above the level; a move of a team moves its costs to its new project', async () => {
    const teams = await t.get<Answer>(`/by-hierarchy?${RANGE}&level_code=function`);
    expect(teams.body.summary.allocated_above_level.total_cost).toBeGreaterThan(0);
    expect(sum([...teams.body.data.map((r) => r.total_cost), teams.body.summary.allocated_above_level.total_cost, teams.body.summary.unallocated.total_cost])).toBe(Math.round(teams.body.summary.total_cost * 100));
    const data = teams.body.data.find((r) => r.entity_id === 'TEAM-DATA')!;
    expect(data.total_cost).toBeGreaterThan(0);
    expect(data.direct_cost).toBe(data.total_cost);

    const before = await t.get<Answer>(`/by-hierarchy?${RANGE}&level_code=business_unit`);
    expect(before.status, JSON.stringify(before.body).slice(0, 400)).toBe(200);
    const cost = (a: Answer, id: string) => a.data.find((r) => r.entity_id === id)!.total_cost;
    expect((await hierarchy('POST', '/entities/TEAM-DATA/move', { new_parent_id: 'PROJ-PROC' })).status).toBe(200);
    await t.app.fetch(new Request('http://fn/api/v1/costs/tree_co/cache/invalidate', { method: 'POST', headers: { 'x-api-key': t.key } }));
    const after = await t.get<Answer>(`/by-hierarchy?${RANGE}&level_code=business_unit`);
    expect(after.status, JSON.stringify(after.body).slice(0, 400)).toBe(200);
    // Within a paisa: each answer's parts are apportioned to add up to its rounded total.
    const paise = (x: number) => Math.round(x * 100);
    expect(Math.abs(paise(cost(after.body, 'PROJ-PROC') - cost(before.body, 'PROJ-PROC')) - paise(data.total_cost))).toBeLessThanOrEqual(1);
    expect(Math.abs(paise(cost(before.body, 'PROJ-CTO') - cost(after.body, 'PROJ-CTO')) - paise(data.total_cost))).toBeLessThanOrEqual(1);
    expect(data.total_cost).toBeGreaterThan(1000);
    const depts = await t.get<Answer>(`/by-hierarchy?${RANGE}`);
    // PROJ-PROC is under DEPT-COO: the team's costs went with it.
    expect(depts.body.data.find((r) => r.entity_id === 'DEPT-COO')!.total_cost).toBeGreaterThan(0);
  });

  it('an unknown level_code is 422 naming it', async () => {
    const res = await t.get<Answer>(`/by-hierarchy?${RANGE}&level_code=galaxy`);
    expect(res.status).toBe(422);
    expect(res.body.detail).toContain('level_code');
    expect((await t.get<Answer>(`/by-hierarchy?${RANGE}&level_code=Bad-Code`)).status).toBe(422);
  });
});
