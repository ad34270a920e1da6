import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { subscriptionsApp, type PlanBody } from './support/app.js';

/**
 * Concurrent edit-versions of one plan on the warehouse mode where mutating statements really
 * overlap and conflict as on BigQuery (no unique constraints, conflicts retried by the adapter).
 */
describe('20 concurrent edit-versions of one plan', () => {
  it('exactly one wins (200), the other 19 get 409; one open version, two rows', async () => {
    const s = await subscriptionsApp('race_co', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    await s.call('POST', '/providers/slack/enable', {});
    const { body } = await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name: 'PRO', pricing_model: 'PER_SEAT', unit_price: '8.75', seats: 10, currency: 'USD' });
    const plan = body.plan;

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      s.call<{ new_plan?: PlanBody; error?: string; details?: { reason: string } }>('POST', `/providers/slack/plans/${plan.subscription_id}/edit-version`, { effective_date: '2026-04-01', seats: 11 + i })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'concurrent_change')).toBe(true);

    const rows = await s.deps.warehouse.query({
      sql: `SELECT subscription_id, version, superseded_by, end_date, seats FROM ${s.deps.warehouse.table('race_co_prod', 'saas_subscription_plans')} WHERE plan_id = @p ORDER BY version`,
      params: { p: plan.plan_id },
    });
    const winner = answers.find((a) => a.status === 200)!.body.new_plan!;
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.superseded_by === null)).toEqual([{ subscription_id: winner.subscription_id, version: 2, superseded_by: null, end_date: null, seats: winner.seats }]);
    expect(rows[0]).toMatchObject({ version: 1, superseded_by: winner.subscription_id, end_date: '2026-03-31' });
  });
});

const raceApp = async (org: string) => subscriptionsApp(org, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
const planRows = (s: Awaited<ReturnType<typeof subscriptionsApp>>, dataset: string, where: string, params: Record<string, string> = {}) =>
  s.deps.warehouse.query({ sql: `SELECT subscription_id, plan_id, plan_name, is_enabled FROM ${s.deps.warehouse.table(dataset, 'saas_subscription_plans')} WHERE ${where}`, params });

describe('25 concurrent creates of one plan (same name, same dates)', () => {
  it('one wins (200), 24 get 409 plan_name_taken; one row, counted once in the totals', async () => {
    const s = await raceApp('race_create');
    await s.call('POST', '/providers/slack/enable', {});
    const answers = await Promise.all(Array.from({ length: 25 }, () =>
      s.call<{ details?: { reason: string } }>('POST', '/providers/slack/plans', { plan_name: 'PRO', unit_price: '10.00', currency: 'USD', start_date: '2026-03-11' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(24).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'plan_name_taken')).toBe(true);
    expect(await planRows(s, 'race_create_prod', "provider = 'slack'")).toHaveLength(1);
    const listed = await s.call<{ total: number; totals_by_currency: Record<string, { monthly: string }> }>('GET', '/providers/slack/plans');
    expect(listed.body.total).toBe(1);
    expect(listed.body.totals_by_currency.USD?.monthly).toBe('10.00');
  });
});

describe('20 concurrent enables with seed_plans', () => {
  it('seeds the catalog plans once: the answers add up to one copy', async () => {
    const s = await raceApp('race_seed');
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.call<{ plans_seeded: number }>('POST', '/providers/slack/enable', { seed_plans: true })));
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 200)?.body)).toEqual(Array<number>(20).fill(200));
    const rows = await planRows(s, 'race_seed_prod', "provider = 'slack'");
    const names = rows.map((r) => r.plan_name).sort();
    expect(names).toEqual([...new Set(names)]);
    expect(answers.reduce((n, a) => n + a.body.plans_seeded, 0)).toBe(rows.length);
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('toggling on two overlapping plans of one name at once', () => {
  it('per pair, one is switched on (200), the other 409 plan_name_taken', async () => {
    const s = await raceApp('race_toggle');
    await s.call('POST', '/providers/slack/enable', {});
    const pairs = await Promise.all(Array.from({ length: 4 }, async (_, i) => Promise.all([0, 1].map(async () =>
      (await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name: `TEAM_${i}`, unit_price: '5', currency: 'USD', is_enabled: false })).body.plan))));
    const answers = await Promise.all(pairs.flat().map((p) => s.call<{ details?: { reason: string } }>('POST', `/providers/slack/toggle/${p.subscription_id}`)));
    for (let i = 0; i < pairs.length; i++) {
      const pair = answers.slice(2 * i, 2 * i + 2);
      expect(pair.map((a) => a.status).sort(), `pair ${i}: ${JSON.stringify(pair.map((a) => a.body))}`).toEqual([200, 409]);
      expect(pair.find((a) => a.status === 409)!.body.details?.reason).toBe('plan_name_taken');
      expect((await planRows(s, 'race_toggle_prod', 'plan_name = @n AND is_enabled', { n: `TEAM_${i}` })).length, `pair ${i}`).toBe(1);
    }
  });
});

describe('10 concurrent resets of one provider', () => {
  it('leave exactly one open copy of each catalog plan', async () => {
    const s = await raceApp('race_reset');
    await s.call('POST', '/providers/miro/enable', { seed_plans: true });
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.call('POST', '/providers/miro/reset')));
    expect(answers.map((a) => a.status), JSON.stringify(answers.find((a) => a.status !== 200)?.body)).toEqual(Array<number>(10).fill(200));
    const open = await s.deps.warehouse.query({
      sql: `SELECT plan_name FROM ${s.deps.warehouse.table('race_reset_prod', 'saas_subscription_plans')} WHERE provider = 'miro' AND cancelled_at IS NULL AND (end_date IS NULL OR end_date > DATE '2026-03-11') ORDER BY plan_name`,
    });
    expect(open.map((r) => r.plan_name)).toEqual(['BUSINESS', 'FREE', 'STARTER']);
  });
});

describe('20 concurrent first creates of one plan for a provider never enabled (the web app never calls enable)', () => {
  it('one wins (200) and enables the provider once; 19 get 409 plan_name_taken; one plan row', async () => {
    const s = await raceApp('race_first');
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      s.call<{ details?: { reason: string } }>('POST', '/providers/slack/plans', { plan_name: 'PRO', unit_price: 10, currency: 'USD', start_date: '2026-03-11' })));
    expect(answers.map((a) => a.status).sort(), JSON.stringify(answers.filter((a) => a.status !== 409).map((a) => a.body))).toEqual([200, ...Array<number>(19).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'plan_name_taken')).toBe(true);
    expect(await planRows(s, 'race_first_prod', "provider = 'slack'")).toHaveLength(1);
    const providerRows = await s.deps.warehouse.query({ sql: `SELECT provider, is_enabled FROM ${s.deps.warehouse.table('race_first_prod', 'saas_subscription_providers')}` });
    expect(providerRows).toEqual([{ provider: 'slack', is_enabled: true }]);
    const audits = await s.deps.warehouse.query({ sql: `SELECT action FROM ${s.deps.warehouse.table('organizations', 'org_audit_logs')} WHERE org_slug = 'race_first' AND action = 'SAAS_PROVIDER_ENABLE'` });
    expect(audits).toHaveLength(1);
  });
});
