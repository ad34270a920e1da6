import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlan } from '@cloudact/shared/saas/plans/create';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';
import { insertRuns } from './support/world.js';

/** pipeline_success, subscription_renewal, and license_utilization's refusal (issue 20). */
let hook: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => { hook = await httpReceiver(() => ({ status: 200, body: 'ok' })); });
afterAll(async () => { await hook.close(); });

async function root(a: AlertsApp, body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: a.org, ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const got = (path: string) => hook.got.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as { data: Record<string, unknown>; title?: string });

async function setup(org: string, path: string, opts: Parameters<typeof alertsApp>[1] = {}) {
  // 20:00 UTC on 20 March is 01:30 on 21 March in Kolkata: the org's today is 2026-03-21.
  const a = await alertsApp(org, { now: '2026-03-20T20:00:00Z', onboardExtra: { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }, ...opts });
  const ch = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url(path) })).body.channel_id as string;
  return { a, ch };
}

describe('pipeline_success', () => {
  it('each successful run fires once; failures and running runs do not; a new success fires again', async () => {
    const { a, ch } = await setup('ok_runs', '/ok');
    const now = a.deps.clock().getTime();
    await insertRuns(a, [
      { id: 'run-s1', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(now - 2 * 3_600_000) },
      { id: 'run-f1', pipeline_id: 'gcp_billing', status: 'FAILED', start: new Date(now - 3_600_000) },
      { id: 'run-r1', pipeline_id: 'gcp_billing', status: 'RUNNING', start: new Date(now - 60_000) },
      { id: 'run-o1', pipeline_id: 'openai_usage', status: 'SUCCESS', start: new Date(now - 3_600_000) },
    ]);
    const created = await a.call('POST', '/rules', { name: 'Billing done', rule_type: 'pipeline_success', priority: 'info', conditions: { pipeline_id: 'gcp_billing' }, notify_channel_ids: [ch], cooldown_minutes: 0 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ rule_category: 'pipeline', conditions: { pipeline_id: 'gcp_billing', lookback_hours: 24 } });
    const tested = await a.call('POST', `/rules/${created.body.rule_id}/test?send_notification=false`);
    expect(tested.body).toMatchObject({ success: true, would_trigger: true, notification_sent: false });
    expect(got('/ok')).toHaveLength(0);
    expect((await root(a, { alert_types: ['pipeline_success'] })).body).toMatchObject({ alerts_triggered: 1, notifications_sent: 1 });
    expect(got('/ok').map((m) => m.data.pipeline_logging_id)).toEqual(['run-s1']);
    expect((await root(a, { alert_types: ['pipeline_success'] })).body.alerts_triggered).toBe(0);
    await insertRuns(a, [{ id: 'run-s2', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(now - 30_000) }]);
    expect((await root(a, { alert_types: ['pipeline'] })).body.alerts_triggered).toBe(1);
    expect(got('/ok').map((m) => m.data.pipeline_logging_id)).toEqual(['run-s1', 'run-s2']);
  });

  it('4 concurrent runs on the concurrent-DML warehouse announce a success once', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const { a, ch } = await setup('ok_race', '/ok-race', { overrides: { warehouse } });
    await insertRuns(a, [{ id: 'run-race', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(a.deps.clock().getTime() - 60_000) }]);
    expect((await a.call('POST', '/rules', { name: 'Done', rule_type: 'pipeline_success', conditions: {}, notify_channel_ids: [ch] })).status).toBe(201);
    const runs = await Promise.all(Array.from({ length: 4 }, () => root(a, { alert_types: ['pipeline_success'] })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.reduce((n, r) => n + (r.body.alerts_triggered as number), 0)).toBe(1);
    expect(got('/ok-race')).toHaveLength(1);
  });
});

describe('subscription_renewal', () => {
  it('warns once per renewal and warning day, at the tightest warning reached, in the org\'s local days', async () => {
    const { a, ch } = await setup('renew_co', '/renew');
    const ctx = testCtx(a.deps);
    const plan = (name: string, renewal: string | undefined, extra: Record<string, unknown> = {}) => createPlan(ctx, { orgSlug: 'renew_co', provider: 'slack', plan_name: name, unit_price: '8.75', pricing_model: 'PER_SEAT', seats: 10, start_date: '2026-01-01', ...(renewal ? { renewal_date: renewal } : {}), ...extra });
    await plan('SOON', '2026-03-24');     // 3 days after the org's today (2026-03-21): the 7-day warning
    await plan('TODAY', '2026-03-21');    // renews today in Kolkata (still 20 March in UTC): the 1-day warning
    await plan('LATER', '2026-06-30');    // beyond every warning
    await plan('NODATE', undefined);
    const created = await a.call('POST', '/rules', { name: 'Renewals', rule_type: 'subscription_renewal', conditions: { days_before_renewal: [30, 7, 1] }, notify_channel_ids: [ch], cooldown_minutes: 0 });
    expect(created.status, created.text).toBe(201);
    expect(created.body.rule_category).toBe('subscription');
    expect((await root(a, { alert_types: ['subscription_renewal'] })).body).toMatchObject({ alerts_triggered: 2, notifications_sent: 2 });
    const sent = got('/renew').map((m) => [m.data.plan_name, m.data.days_left, m.data.warning_days]).sort();
    expect(sent).toEqual([['SOON', 3, 7], ['TODAY', 0, 1]]);
    expect((await root(a, { alert_types: ['subscription'] })).body.alerts_triggered).toBe(0);
    // Two days on, SOON is 1 day out: the 1-day warning is a new firing; TODAY's renewal is past.
    a.time.advance(2 * 86_400_000);
    expect((await root(a, { alert_types: ['subscription_renewal'] })).body.alerts_triggered).toBe(1);
    expect(got('/renew').at(-1)!.data).toMatchObject({ plan_name: 'SOON', days_left: 1, warning_days: 1 });
  });

  it('a bad warning list is 422 naming the field', async () => {
    const { a, ch } = await setup('renew_bad', '/renew-bad');
    for (const days of [[], [-1], ['x']]) {
      const r = await a.call('POST', '/rules', { name: 'R', rule_type: 'subscription_renewal', conditions: { days_before_renewal: days }, notify_channel_ids: [ch] });
      expect(r.status, r.text).toBe(422);
      expect(r.text).toContain('conditions.days_before_renewal');
    }
  });
});

describe('license_utilization', () => {
  it('is refused at creation with 422 naming the missing seats-in-use data, and nothing is stored', async () => {
    const { a, ch } = await setup('lic_co', '/lic');
    const before = (await a.call('GET', '/rules')).body;
    const r = await a.call('POST', '/rules', { name: 'Seats', rule_type: 'license_utilization', conditions: { threshold_percent: 80 }, notify_channel_ids: [ch] });
    expect(r.status, r.text).toBe(422);
    expect(r.text).toContain('rule_type');
    expect(r.text).toContain('seats in use');
    expect((await a.call('GET', '/rules')).body).toEqual(before);
  });
});
