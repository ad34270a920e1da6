import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { budgetsApp } from './support/app.js';

const monthly = { category: 'cloud', period_type: 'monthly', budget_amount: '1000.50', hierarchy_entity_id: 'DEPT-CIO', hierarchy_path: '/DEPT-CIO' };

describe('budgets CRUD', () => {
  it('creates with the org\'s currency, the month containing today and the default thresholds; lists, filters, reads, updates and deletes', async () => {
    const b = await budgetsApp('crud_co', {}, { default_currency: 'INR', default_timezone: 'Asia/Kolkata' });
    const created = await b.call('POST', '', monthly);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({
      currency: 'INR', period_start: '2026-03-01', period_end: '2026-03-31', budget_amount: 1000.5, budget_amount_exact: '1000.50', budget_type: 'monetary', revision: 0,
      thresholds: [{ percent: 50, of: 'actual' }, { percent: 80, of: 'actual' }, { percent: 100, of: 'actual' }, { percent: 100, of: 'forecast' }],
    });
    const id = created.body.budget_id as string;
    await b.call('POST', '', { category: 'genai', period_type: 'quarterly', budget_amount: 5, fiscal_year_start_month: 4, budget_type: 'token' });
    const list = await b.call('GET', '');
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(2);
    const cloud = await b.call('GET', '?category=cloud&is_active=true&period_type=monthly&hierarchy_entity_id=DEPT-CIO');
    expect(cloud.body.budgets.map((x: { budget_id: string }) => x.budget_id)).toEqual([id]);
    const quarter = (await b.call('GET', '?period_type=quarterly')).body.budgets[0];
    // 11 March 2026 in a fiscal year starting in April: the quarter January-March.
    expect([quarter.period_start, quarter.period_end]).toEqual(['2026-01-01', '2026-03-31']);
    expect((await b.call('GET', `/${id}`)).body.budget_id).toBe(id);

    const put = await b.call('PUT', `/${id}`, { budget_amount: '1200', notes: 'raised', revision: 0 });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ budget_amount: 1200, notes: 'raised', revision: 1 });
    // A PUT carrying the revision it read before that change lost.
    const stale = await b.call('PUT', `/${id}`, { budget_amount: '1300', revision: 0 });
    expect(stale.status).toBe(409);
    expect((await b.call('GET', `/${id}`)).body.budget_amount).toBe(1200);

    expect((await b.call('DELETE', `/${id}`)).status).toBe(200);
    expect((await b.call('GET', `/${id}`)).status).toBe(404);
    expect((await b.call('DELETE', `/${id}`)).status).toBe(404);
  });

  it('a second active budget of the same entity, category, provider and period is 409; another provider or period is not', async () => {
    const b = await budgetsApp('dup_co');
    expect((await b.call('POST', '', monthly)).status).toBe(201);
    const dup = await b.call('POST', '', monthly);
    expect(dup.status).toBe(409);
    expect(dup.body.error?.details?.reason ?? dup.text).toMatch(/budget_exists/);
    expect((await b.call('POST', '', { ...monthly, provider: 'gcp' })).status).toBe(201);
    expect((await b.call('POST', '', { ...monthly, period_start: '2026-04-01' })).status).toBe(201);
    // A PUT that would make a duplicate is 409 too.
    const other = await b.call('POST', '', { ...monthly, period_start: '2026-05-01' });
    expect((await b.call('PUT', `/${other.body.budget_id}`, { period_start: '2026-04-01', period_end: '2026-04-30' })).status).toBe(409);
    expect(await b.rows()).toHaveLength(4);
  });

  it('bad input is 422 naming the field', async () => {
    const b = await budgetsApp('bad_co');
    const cases: [Record<string, unknown>, string][] = [
      [{ ...monthly, category: 'food' }, 'category'],
      [{ ...monthly, budget_amount: '-1' }, 'budget_amount'],
      [{ ...monthly, budget_amount: '12345678901234.5' }, 'budget_amount'],
      [{ ...monthly, currency: 'ZZZ' }, 'currency'],
      [{ ...monthly, period_type: 'weekly' }, 'period_type'],
      [{ ...monthly, period_start: '2026-03-10', period_end: '2026-03-01' }, 'period_end'],
      [{ category: 'cloud', period_type: 'custom', budget_amount: '1' }, 'period_start'],
      [{ ...monthly, fiscal_year_start_month: 13 }, 'fiscal_year_start_month'],
      [{ ...monthly, thresholds: [{ percent: -5 }] }, 'thresholds'],
      [{ ...monthly, unknown_field: 1 }, 'unknown_field'],
    ];
    for (const [body, field] of cases) {
      const r = await b.call('POST', '', body);
      expect(r.status, `${field}: ${r.text}`).toBe(422);
      expect(r.text, field).toContain(field);
    }
  });
});

describe('concurrent creates', () => {
  it('20 identical creates: one 201, nineteen 409, one row', async () => {
    const b = await budgetsApp('race_co', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    const answers = await Promise.all(Array.from({ length: 20 }, () => b.call('POST', '', monthly)));
    expect(answers.map((a) => a.status).sort(), answers.filter((a) => a.status !== 201 && a.status !== 409).map((a) => a.text).join('\n')).toEqual([201, ...Array<number>(19).fill(409)]);
    expect(await b.rows()).toHaveLength(1);
  }, 60_000);

  it('10 concurrent PUTs of one revision: exactly one wins', async () => {
    const b = await budgetsApp('race_put', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    const id = (await b.call('POST', '', monthly)).body.budget_id;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => b.call('PUT', `/${id}`, { budget_amount: String(100 + i), revision: 0 })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    const [row] = await b.rows();
    expect(Number(row!.revision)).toBe(1);
  }, 60_000);
});
