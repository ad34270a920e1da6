import { beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsApp, type PlanBody, type PlansBody } from './support/app.js';

/**
 * The README's curl journey, step by step over HTTP, in an org whose timezone (Asia/Kolkata,
 * UTC+5:30) is ahead of UTC, with the clock pinned where the org's date and UTC's differ.
 */
let s: Awaited<ReturnType<typeof subscriptionsApp>>;
let v1: PlanBody;
let v2: PlanBody;

beforeAll(async () => {
  s = await subscriptionsApp();
});

const plans = async (query = '') => (await s.call<PlansBody>('GET', `/providers/chatgpt_plus/plans${query}`)).body;
const byVersion = (list: PlansBody, name = 'TEAM') => list.plans.filter((p) => p.plan_name === name && p.is_enabled).sort((a, b) => a.version - b.version);

describe('the SaaS subscriptions journey', () => {
  it('lists the catalog providers, none enabled yet', async () => {
    const { status, body } = await s.call<{ providers: { provider: string; is_enabled: boolean; plan_count: number; category: string }[]; total: number }>('GET', '/providers');
    expect(status).toBe(200);
    expect(body.total).toBe(25);
    expect(body.providers.find((p) => p.provider === 'chatgpt_plus')).toMatchObject({ is_enabled: false, plan_count: 0, category: 'ai' });
  });

  it('enables chatgpt_plus with seed_plans: its catalog plans appear, disabled, counted nowhere', async () => {
    const { status, body } = await s.call('POST', '/providers/chatgpt_plus/enable', { seed_plans: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, provider: 'chatgpt_plus', plans_seeded: 4 });
    const list = await plans();
    expect(list.plans.map((p) => p.plan_name).sort()).toEqual(['ENTERPRISE', 'FREE', 'PLUS', 'TEAM']);
    expect(list.plans.every((p) => !p.is_enabled && p.start_date === '2026-03-11')).toBe(true);
    expect(list).toMatchObject({ total_monthly_cost: 0, totals_by_currency: {} });
  });

  it('enables it again: nothing seeded twice', async () => {
    const { body } = await s.call('POST', '/providers/chatgpt_plus/enable', { seed_plans: true });
    expect(body).toMatchObject({ success: true, plans_seeded: 0, message: expect.stringMatching(/already has its catalog plans/) });
    expect((await plans()).total).toBe(4);
  });

  it('creates a TEAM plan at 25.00 for 10 users, from the org\'s today (11 March in Kolkata, still 10 March in UTC): active', async () => {
    const { status, body } = await s.call<{ plan: PlanBody }>('POST', '/providers/chatgpt_plus/plans', { plan_name: 'team', pricing_model: 'PER_SEAT', unit_price: '25.00', seats: 10, currency: 'USD' });
    expect(status).toBe(200);
    v1 = body.plan;
    expect(v1).toMatchObject({ plan_name: 'TEAM', version: 1, start_date: '2026-03-11', end_date: null, status: 'active', unit_price: 25, unit_price_usd: 25, unit_price_exact: '25.00', monthly_cost: '250.00', annual_cost: '3000.00' });
    expect(await plans()).toMatchObject({ total_monthly_cost: 250, total_annual_cost: 3000, currency: 'USD', totals_by_currency: { USD: { monthly: '250.00', annual: '3000.00' } } });
  });

  it('edit-version to 15 users from 1 April: two rows, the first ends on 31 March; at most 3 sequential round-trips', async () => {
    await s.call('GET', '/providers'); // warm the key and profile caches, so the figure is the verb's own
    const { status, body, log } = await s.call<{ new_plan: PlanBody; old_plan: PlanBody }>('POST', `/providers/chatgpt_plus/plans/${v1.subscription_id}/edit-version`, { effective_date: '2026-04-01', seats: 15 });
    expect(status).toBe(200);
    expect(log.warehouse_depth).toBe(3);
    v2 = body.new_plan;
    expect(body.old_plan).toMatchObject({ subscription_id: v1.subscription_id, end_date: '2026-03-31', status: 'active', superseded_by: v2.subscription_id, monthly_cost: '250.00' });
    expect(v2).toMatchObject({ plan_id: v1.plan_id, version: 2, start_date: '2026-04-01', end_date: null, seats: 15, status: 'pending', monthly_cost: '375.00' });
    expect(v2.subscription_id).not.toBe(v1.subscription_id);
  });

  it('history shows both versions, oldest first', async () => {
    const { body } = await s.call<{ history: PlanBody[]; plan_id: string }>('GET', `/providers/chatgpt_plus/plans/${v2.subscription_id}/history`);
    expect(body.plan_id).toBe(v1.plan_id);
    expect(body.history.map((p) => [p.version, p.seats, p.start_date, p.end_date])).toEqual([[1, 10, '2026-03-11', '2026-03-31'], [2, 15, '2026-04-01', null]]);
  });

  it('before the change (11 March): version 1 active, version 2 pending, 250.00 a month; listing is one round-trip', async () => {
    await s.call('GET', '/providers');
    const res = await s.call<PlansBody>('GET', '/providers/chatgpt_plus/plans');
    // The plans and the hierarchy (what each plan shows of its entity) side by side: one round-trip deep.
    expect(res.log).toMatchObject({ warehouse_calls: 2, warehouse_depth: 1 });
    expect(byVersion(res.body).map((p) => p.status)).toEqual(['active', 'pending']);
    expect(res.body.total_monthly_cost).toBe(250);
    expect((await plans('?status=pending')).plans.map((p) => p.subscription_id)).toEqual([v2.subscription_id]);
  });

  it('between (1 April in Kolkata, still 31 March in UTC): version 1 expired, version 2 active, 375.00 a month', async () => {
    s.time.set('2026-03-31T18:30:00Z');
    const list = await plans();
    expect(byVersion(list).map((p) => p.status)).toEqual(['expired', 'active']);
    expect(list.total_monthly_cost).toBe(375);
  });

  it('ends it (DELETE, today by default): cancelled at once, paid through its last day, rows kept', async () => {
    const { status, body } = await s.call('DELETE', `/providers/chatgpt_plus/plans/${v2.subscription_id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, subscription_id: v2.subscription_id });
    const list = await plans();
    expect(byVersion(list).map((p) => [p.status, p.end_date])).toEqual([['expired', '2026-03-31'], ['cancelled', '2026-04-01']]);
    expect(list.total_monthly_cost).toBe(375);
  });

  it('after (2 April in Kolkata): cancelled and counted nowhere; both rows still there', async () => {
    s.time.set('2026-04-01T18:30:00Z');
    const list = await plans();
    expect(byVersion(list).map((p) => p.status)).toEqual(['expired', 'cancelled']);
    expect(list).toMatchObject({ total_monthly_cost: 0, totals_by_currency: {} });
    const rows = await s.deps.warehouse.query({ sql: `SELECT version, end_date FROM ${s.deps.warehouse.table('kolkata_co_prod', 'saas_subscription_plans')} WHERE plan_id = @p ORDER BY version`, params: { p: v1.plan_id } });
    expect(rows).toEqual([{ version: 1, end_date: '2026-03-31' }, { version: 2, end_date: '2026-04-01' }]);
  });
});
