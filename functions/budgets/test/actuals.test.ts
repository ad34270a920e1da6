import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { referenceEngine } from '../../../shared/test/support/duck-reference.js';
import { budgetsApp, type BudgetsApp } from './support/app.js';

/**
 * Actuals against DuckDB SQL over the org's local days (Asia/Kolkata, INR): the reference
 * converts each row with the ECB rate in force on its local day, as the cost views do.
 */
const TZ = 'Asia/Kolkata';
let b: BudgetsApp;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

const converted = (target: string) => `WITH r AS (
    SELECT CAST(timezone('${TZ}', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS day, BillingCurrency AS cur, EffectiveCost, BilledCost, ProviderName, x_CostCategory,
           x_HierarchyPath, x_HierarchyEntityId, x_InputTokens, x_OutputTokens
    FROM ledger)
  SELECT r.*, CAST(r.EffectiveCost AS DOUBLE) * t.per_eur / s.per_eur AS cost, CAST(r.BilledCost AS DOUBLE) * t.per_eur / s.per_eur AS billed
  FROM r ASOF JOIN rates s ON s.currency = r.cur AND s.date <= r.day ASOF JOIN rates t ON t.currency = '${target}' AND t.date <= r.day`;

async function sqlSum(where: string, target = 'INR', col = 'cost'): Promise<number> {
  const [row] = await ref.rows<{ v: number | null }>(`SELECT SUM(${col}) AS v FROM (${converted(target)}) WHERE ${where}`);
  return Number(row?.v ?? 0);
}
const paisa = (x: number) => Math.round(x * 100);
const item = async (id: string) => ((await b.call('GET', '/summary')).body.items as Record<string, any>[]).find((i) => i.budget_id === id)!;

beforeAll(async () => {
  // 20:00 UTC on 20 March is 01:30 on 21 March in Kolkata.
  b = await budgetsApp('budget_in', {}, { default_currency: 'INR', default_timezone: TZ }, '2026-03-20T20:00:00Z');
  await seedCosts(b.deps, { orgSlug: 'budget_in', days: 75, rowsPerDay: 40, seed: 7, end: '2026-03-21' });
  ref = await referenceEngine(b.deps.warehouse, 'budget_in_prod');
}, 120_000);
afterAll(() => ref.close());

describe('budget actuals', () => {
  it('a monthly cloud budget of the whole org: EffectiveCost of its local days in INR, to the paisa; BilledCost on request', async () => {
    const c = await b.call('POST', '', { category: 'cloud', period_type: 'monthly', budget_amount: '100000' });
    expect(c.status, c.text).toBe(201);
    const want = await sqlSum(`x_CostCategory = 'cloud' AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`);
    expect(want).toBeGreaterThan(0);
    const s = await b.call('GET', '/summary?category=cloud');
    expect(s.status, s.text).toBe(200);
    const i = s.body.items.find((x: { budget_id: string }) => x.budget_id === c.body.budget_id);
    expect(paisa(i.actual_amount)).toBe(paisa(want));
    expect(i).toMatchObject({ currency: 'INR', period_start: '2026-03-01', period_end: '2026-03-31', forecast_method: 'robust_seasonal_naive_damped_trend' });
    // The forecast explains itself: the org's local today, the actual it starts from, what is ahead, its interval and backtest.
    const f = i.forecast;
    expect(f).toMatchObject({ as_of: '2026-03-21', training_window: { start: '2025-12-27', end: '2026-03-20', days: 84 }, actual_to_date: i.actual_amount, known_future: 0, series: { known: 0 } });
    expect(f.series.usage).toBeGreaterThan(0);
    expect(Math.abs(i.forecast_amount - (i.actual_amount + f.usage_future))).toBeLessThan(0.011);
    expect(f.interval.lower).toBeLessThanOrEqual(i.forecast_amount);
    expect(f.interval.upper).toBeGreaterThanOrEqual(i.forecast_amount);
    // The seeded usage has no weekday pattern nor trend: the model lands near the run rate (21 of 31 local days elapsed).
    expect(Math.abs(i.forecast_amount / ((want / 21) * 31) - 1)).toBeLessThan(0.1);
    // 75 seeded days: January (one origin with two weeks of history) and February are backtested, beside the run rate.
    expect(f.backtest.months).toEqual(['2026-01', '2026-02']);
    expect(f.backtest.points.map((p: { days_before: number }) => p.days_before)).toEqual([7, 7, 14, 21]);
    expect(f.backtest.mape_percent).toBeGreaterThanOrEqual(0);
    expect(f.backtest.run_rate_mape_percent).toBeGreaterThanOrEqual(0);
    expect(i.exhaustion_date === null || i.exhaustion_date >= '2026-03-01').toBe(true);
    expect(i.variance).toBeCloseTo(100000 - i.actual_amount, 2);
    expect(s.body.cost_basis).toBe('EffectiveCost');
    const billed = await b.call('GET', '/summary?category=cloud&cost_basis=billed');
    const bi = billed.body.items.find((x: { budget_id: string }) => x.budget_id === c.body.budget_id);
    expect(paisa(bi.actual_amount)).toBe(paisa(await sqlSum(`x_CostCategory = 'cloud' AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`, 'INR', 'billed')));
  });

  it('an entity budget covers its subtree by whole path segments; a USD budget is measured in USD and totalled in INR', async () => {
    const c = await b.call('POST', '', { category: 'total', period_type: 'monthly', budget_amount: '5000', currency: 'USD', hierarchy_entity_id: 'DEPT-CIO' });
    expect(c.status, c.text).toBe(201);
    const scope = `(list_contains(string_split(x_HierarchyPath, '/'), 'DEPT-CIO') OR x_HierarchyEntityId = 'DEPT-CIO') AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`;
    const usd = await sqlSum(scope, 'USD');
    const inr = await sqlSum(scope, 'INR');
    expect(usd).toBeGreaterThan(0);
    const i = await item(c.body.budget_id);
    expect(paisa(i.actual_amount)).toBe(paisa(usd));
    expect(i.currency).toBe('USD');
    expect(paisa(i.actual_amount_org)).toBe(paisa(inr));
    expect(i.budget_amount_org).toBeGreaterThan(5000 * 50);
    const s = (await b.call('GET', '/summary')).body;
    expect(s.currency).toBe('INR');
    expect(s.exchange_rates.some((r: { from: string; to: string }) => r.from === 'USD' || r.to === 'USD')).toBe(true);
  });

  it('a token budget compares x_InputTokens + x_OutputTokens, never money', async () => {
    const c = await b.call('POST', '', { category: 'genai', budget_type: 'token', period_type: 'monthly', budget_amount: '1000000000' });
    expect(c.status, c.text).toBe(201);
    const [row] = await ref.rows<{ v: number | bigint | null }>(`SELECT SUM(COALESCE(x_InputTokens, 0) + COALESCE(x_OutputTokens, 0)) AS v FROM (${converted('INR')}) WHERE x_CostCategory = 'llm' AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`);
    const tokens = Number(row?.v ?? 0);
    expect(tokens).toBeGreaterThan(0);
    const i = await item(c.body.budget_id);
    expect(i.actual_amount).toBe(tokens);
    expect(i.currency).toBe('TOKENS');
    expect(i.counted_in_totals).toBe(false);
  });

  it('totals count money budgets once, in the org\'s currency', async () => {
    const s = (await b.call('GET', '/summary')).body;
    const counted = s.items.filter((i: { counted_in_totals: boolean }) => i.counted_in_totals);
    expect(counted.every((i: { budget_type: string }) => i.budget_type === 'monetary')).toBe(true);
    expect(paisa(s.total_actual)).toBe(counted.reduce((n: number, i: { actual_amount_org: number }) => n + paisa(i.actual_amount_org), 0));
    expect(paisa(s.total_budget)).toBe(counted.reduce((n: number, i: { budget_amount_org: number }) => n + paisa(i.budget_amount_org), 0));
    expect(s.budgets_total).toBe(s.items.length);
    const cats = (await b.call('GET', '/by-category')).body;
    expect(cats.categories.map((g: { category: string }) => g.category)).toEqual(['cloud', 'genai', 'total']);
    const provs = (await b.call('GET', '/by-provider')).body;
    expect(provs.providers.map((g: { provider: string }) => g.provider)).toEqual(['all']);
  });

  it('a recurring monthly budget renews at the org\'s local month start; a quarterly one follows a fiscal year starting in April', async () => {
    const m = await b.call('POST', '', { category: 'subscription', period_type: 'monthly', period_start: '2026-02-01', recurring: true, budget_amount: '900' });
    const q = await b.call('POST', '', { category: 'subscription', period_type: 'quarterly', recurring: true, fiscal_year_start_month: 4, budget_amount: '2700' });
    expect([m.status, q.status]).toEqual([201, 201]);
    expect([(await item(m.body.budget_id)).period_start, (await item(q.body.budget_id)).period_start]).toEqual(['2026-03-01', '2026-01-01']);
    // 18:29:59 UTC on 31 March is 23:59:59 in Kolkata: still March and the fiscal Q4.
    b.time.set('2026-03-31T18:29:59Z');
    expect((await item(m.body.budget_id)).period_end).toBe('2026-03-31');
    b.time.set('2026-03-31T18:30:00Z');
    const april = await item(m.body.budget_id);
    expect([april.period_start, april.period_end, april.actual_amount]).toEqual(['2026-04-01', '2026-04-30', 0]);
    const fq1 = await item(q.body.budget_id);
    expect([fq1.period_start, fq1.period_end]).toEqual(['2026-04-01', '2026-06-30']);
    b.time.set('2026-03-20T20:00:00Z');
  });
});
