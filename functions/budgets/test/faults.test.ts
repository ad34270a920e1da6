import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { budgetsApp } from './support/app.js';

const body = { category: 'cloud', period_type: 'monthly', budget_amount: '10' };

describe('create and update under faults', () => {
  it('create: at every call, before or after, one budget or none, never 500; a lost MERGE answer is read back as 201', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const b = await budgetsApp('fault_create', { warehouse: faulty });
    const seen: string[] = [];
    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= 6; n++) {
        faulty.armAt(n, mode);
        const res = await b.call('POST', '', body);
        const call = faulty.log[n - 1] ?? '-';
        faulty.heal();
        const rows = await b.rows();
        seen.push(`${mode}@${n} ${call}: ${res.status} rows=${rows.length}`);
        expect(res.status === 201 ? rows.length === 1 : rows.length === 0 && res.status === 503, seen.join('\n')).toBe(true);
        for (const r of rows) expect((await b.call('DELETE', `/${r.budget_id}`)).status).toBe(200);
      }
    }
    expect(seen.some((s) => s.startsWith('after') && s.includes('execute') && s.includes(': 201')), seen.join('\n')).toBe(true);
  }, 60_000);

  it('update: at every call, the old budget or the new one, whole', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const b = await budgetsApp('fault_update', { warehouse: faulty });
    const id = (await b.call('POST', '', body)).body.budget_id;
    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= 6; n++) {
        const rev = Number((await b.rows())[0]!.revision);
        faulty.armAt(n, mode);
        const res = await b.call('PUT', `/${id}`, { budget_amount: String(100 + n), notes: `n${n}` });
        faulty.heal();
        const [row] = await b.rows();
        if (res.status === 200) expect([Number(row!.revision), String(row!.budget_amount)]).toEqual([rev + 1, expect.stringMatching(new RegExp(`^${100 + n}(\\.0+)?$`))]);
        else expect([res.status, Number(row!.revision)]).toEqual([503, rev]);
      }
    }
  }, 60_000);
});
