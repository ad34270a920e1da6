import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { budgetsApp, type BudgetsApp } from './support/app.js';

const parentBody = { category: 'cloud', period_type: 'monthly', budget_amount: '1000.00', hierarchy_entity_id: 'DEPT-CIO', hierarchy_path: '/DEPT-CIO' };
const kids = [
  { hierarchy_entity_id: 'PROJ-CTO', percentage: '60' },
  { hierarchy_entity_id: 'PROJ-DATA', percentage: 33.3333 },
];

async function parent(b: BudgetsApp): Promise<string> {
  const r = await b.call('POST', '', parentBody);
  if (r.status !== 201) throw new Error(r.text);
  return r.body.budget_id;
}

describe('POST /allocate', () => {
  it('children by percentage of the parent; the tree shows allocated and unallocated; totals count the parent once', async () => {
    const b = await budgetsApp('alloc_co', {}, { default_currency: 'INR', default_timezone: 'Asia/Kolkata' });
    const id = await parent(b);
    const r = await b.call('POST', '/allocate', { parent_budget_id: id, allocations: kids });
    expect(r.status, r.text).toBe(200);
    expect(r.body.children.map((c: Record<string, unknown>) => [c.hierarchy_entity_id, c.budget_amount_exact, c.hierarchy_path, c.allocation_parent_id])).toEqual([
      ['PROJ-CTO', '600.00', '/DEPT-CIO/PROJ-CTO', id], ['PROJ-DATA', '333.33', '/DEPT-CIO/PROJ-DATA', id],
    ]);
    const tree = await b.call('GET', '/allocation-tree');
    expect(tree.status, tree.text).toBe(200);
    expect(tree.body.roots).toHaveLength(1);
    expect(tree.body.roots[0]).toMatchObject({ budget_id: id, budget_amount: 1000, allocated_to_children: 933.33, unallocated: 66.67 });
    expect(tree.body.roots[0].children).toHaveLength(2);
    expect((await b.call('GET', '/allocation-tree?root_entity_id=PROJ-CTO')).body.roots[0].budget_amount).toBe(600);
    const s = (await b.call('GET', '/summary')).body;
    expect(s.budgets_total).toBe(3);
    expect(s.total_budget).toBe(1000);
    // More than 100 % with the existing children: 422, nothing written.
    const over = await b.call('POST', '/allocate', { parent_budget_id: id, allocations: [{ hierarchy_entity_id: 'PROJ-OPS', percentage: '7' }] });
    expect(over.status).toBe(422);
    expect(over.text).toContain('allocations');
    expect(await b.rows()).toHaveLength(3);
  });

  it('a child that duplicates an active budget refuses the whole allocation (409), leaving no child behind', async () => {
    const b = await budgetsApp('alloc_dup');
    const id = await parent(b);
    expect((await b.call('POST', '', { ...parentBody, hierarchy_entity_id: 'PROJ-DATA', hierarchy_path: '/DEPT-CIO/PROJ-DATA' })).status).toBe(201);
    const r = await b.call('POST', '/allocate', { parent_budget_id: id, allocations: kids });
    expect(r.status, r.text).toBe(409);
    expect(await b.rows()).toHaveLength(2);
  });

  it('bad allocations are 422 naming the field', async () => {
    const b = await budgetsApp('alloc_bad');
    const id = await parent(b);
    for (const allocations of [[], [{ hierarchy_entity_id: 'PROJ-CTO', percentage: '101' }], [{ hierarchy_entity_id: 'PROJ-CTO', percentage: '60' }, { hierarchy_entity_id: 'PROJ-CTO', percentage: '1' }], [{ hierarchy_entity_id: 'PROJ-CTO', percentage: '60' }, { hierarchy_entity_id: 'PROJ-X', percentage: '41' }]]) {
      const r = await b.call('POST', '/allocate', { parent_budget_id: id, allocations });
      expect(r.status, r.text).toBe(422);
      expect(r.text).toContain('allocations');
    }
    expect((await b.call('POST', '/allocate', { parent_budget_id: 'nope', allocations: kids })).status).toBe(404);
  });

  it('a failure at every warehouse call, before or after: all children or none', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const b = await budgetsApp('alloc_fault', { warehouse: faulty });
    const id = await parent(b);
    const seen: string[] = [];
    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= 8; n++) {
        faulty.armAt(n, mode);
        const res = await b.call('POST', '/allocate', { parent_budget_id: id, allocations: kids });
        const call = faulty.log[n - 1] ?? '-';
        faulty.heal();
        const children = (await b.rows()).length - 1;
        seen.push(`${mode}@${n} ${call}: ${res.status} children=${children}`);
        expect(children === 0 || children === 2, seen.join('\n')).toBe(true);
        if (res.status === 200) expect(children).toBe(2);
        else expect(children, seen.join('\n')).toBe(0);
        if (children) for (const r of (await b.rows()).filter((x) => x.budget_id !== id)) expect((await b.call('DELETE', `/${r.budget_id}`)).status).toBe(200);
      }
    }
    // The MERGE's answer lost after it committed is read back: 200 with the children.
    expect(seen.some((s) => s.startsWith('after') && s.includes('execute') && s.includes(': 200 children=2')), seen.join('\n')).toBe(true);
  }, 60_000);

  it('concurrent allocations of one parent never exceed 100 %', async () => {
    const b = await budgetsApp('alloc_race', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    const id = await parent(b);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => b.call('POST', '/allocate', { parent_budget_id: id, allocations: [{ hierarchy_entity_id: `PROJ-${i}`, percentage: '40' }] })));
    expect(answers.map((a) => a.status).sort(), answers.map((a) => a.text.slice(0, 120)).join('\n')).toEqual([200, 200, 409, 409, 409, 409]);
    expect(await b.rows()).toHaveLength(3);
  }, 60_000);
});
