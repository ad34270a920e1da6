import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { createPlan } from '@cloudact/shared/saas/plans/create';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';
import { insertRuns } from './support/world.js';

const ORG = 'types_co';
const HOUR = 3_600_000;
let a: AlertsApp;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let channel: string;

async function root(body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG, ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const hooksAt = (path: string) => hook.got.filter((r) => r.path === path);
async function rule(body: Record<string, unknown>) {
  const r = await a.call('POST', '/rules', { notify_channel_ids: [channel], cooldown_minutes: 0, ...body });
  expect(r.status, r.text).toBe(201);
  return r.body.rule_id as string;
}
/** Two runs of the given types: the first fires `n`, the second nothing (every candidate already decided). */
async function firesOnceAcrossTwoRuns(types: string[], n: number) {
  const first = await root({ alert_types: types });
  expect(first.status).toBe(200);
  expect(first.body.alerts_triggered, JSON.stringify(first.body)).toBe(n);
  expect(first.body.errors).toBe(0);
  const second = await root({ alert_types: types });
  expect(second.body.alerts_triggered, JSON.stringify(second.body)).toBe(0);
  return first.body;
}

beforeAll(async () => {
  hook = await httpReceiver(() => ({ status: 200, body: 'ok' }));
  a = await alertsApp(ORG, { onboardExtra: { default_currency: 'USD', default_timezone: 'America/New_York' }, now: '2026-03-20T15:00:00Z' });
  channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url('/types') })).body.channel_id;
}, 120_000);
afterAll(async () => { await hook.close(); });

describe('rule types: pipeline_success, subscription_renewal, data_freshness; refused types', () => {
  it('pipeline_success: one firing per successful run (optionally of one pipeline); failures and other pipelines do not fire', async () => {
    const now = a.deps.clock().getTime();
    await insertRuns(a, [
      { id: 'ok-1', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(now - 3 * HOUR) },
      { id: 'bad-1', pipeline_id: 'gcp_billing', status: 'FAILED', start: new Date(now - 2 * HOUR) },
      { id: 'ok-2', pipeline_id: 'openai_usage', status: 'SUCCESS', start: new Date(now - 2 * HOUR) },
      { id: 'old-1', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(now - 48 * HOUR) },
    ]);
    const id = await rule({ name: 'GCP ok', rule_type: 'pipeline_success', conditions: { pipeline_id: 'gcp_billing' } });
    const created = (await a.call('GET', `/rules/${id}`)).body;
    expect(created).toMatchObject({ rule_category: 'pipeline', conditions: { pipeline_id: 'gcp_billing', lookback_hours: 24 } });
    const test = await a.call('POST', `/rules/${id}/test`);
    expect(test.body, test.text).toMatchObject({ would_trigger: true, notification_sent: false });
    expect(test.body.trigger_reason).toContain('ok-1');
    const before = hooksAt('/types').length;
    await firesOnceAcrossTwoRuns(['pipeline_success'], 1);
    const got = hooksAt('/types').slice(before);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).data).toMatchObject({ rule_type: 'pipeline_success', pipeline_id: 'gcp_billing', pipeline_logging_id: 'ok-1' });
    // A later success is a new event.
    await insertRuns(a, [{ id: 'ok-3', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(now - HOUR) }]);
    await firesOnceAcrossTwoRuns(['pipeline_success'], 1);
    expect((await a.call('POST', '/rules', { name: 'x', rule_type: 'pipeline_success', conditions: { lookback_hours: 0 }, notify_channel_ids: [channel] })).body.detail).toContain('conditions.lookback_hours');
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('subscription_renewal: fires for the tightest days_before_renewal a plan is within, once per plan × renewal date × value', async () => {
    const ctx = testCtx(a.deps);
    // Today is 2026-03-20 in New York.
    await createPlan(ctx, { orgSlug: ORG, provider: 'slack', plan_name: 'business', unit_price: '8.75', pricing_model: 'PER_SEAT', seats: 10, start_date: '2026-01-01', renewal_date: '2026-03-25' });
    await createPlan(ctx, { orgSlug: ORG, provider: 'notion', plan_name: 'team', unit_price: '10', pricing_model: 'PER_SEAT', seats: 5, start_date: '2026-01-01', renewal_date: '2026-06-01' });
    await createPlan(ctx, { orgSlug: ORG, provider: 'figma', plan_name: 'pro', unit_price: '15', pricing_model: 'PER_SEAT', seats: 2, start_date: '2026-01-01' });
    const id = await rule({ name: 'Renewals', rule_type: 'subscription_renewal', conditions: {} });
    expect((await a.call('GET', `/rules/${id}`)).body).toMatchObject({ rule_category: 'subscription', conditions: { days_before_renewal: [30, 7, 1] } });
    const test = await a.call('POST', `/rules/${id}/test`);
    expect(test.body, test.text).toMatchObject({ would_trigger: true });
    expect(test.body.trigger_reason).toContain('slack BUSINESS renews on 2026-03-25 (in 5 days)');
    const before = hooksAt('/types').length;
    await firesOnceAcrossTwoRuns(['subscription_renewal'], 1);
    expect(JSON.parse(hooksAt('/types').slice(before)[0]!.body).data).toMatchObject({ provider: 'slack', renewal_date: '2026-03-25', days_before_renewal: 7, days_left: 5 });
    // Four days later (1 day left) the 1-day notice is a new event; the 7-day one is not re-sent.
    a.time.advance(4 * 24 * HOUR);
    await firesOnceAcrossTwoRuns(['subscription_renewal'], 1);
    a.time.advance(-4 * 24 * HOUR);
    const bad = await a.call('POST', '/rules', { name: 'x', rule_type: 'subscription_renewal', conditions: { days_before_renewal: [-1] }, notify_channel_ids: [channel] });
    expect(bad.status).toBe(422);
    expect(bad.body.detail).toContain('conditions.days_before_renewal');
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('data_freshness: a provider whose latest ledger row is older than max_hours_since_update fires once per staleness episode', async () => {
    // Ledger rows through 2026-03-18 (local days): on 20 March 15:00 UTC they are >= 40 h old.
    await seedCosts(a.deps, { orgSlug: ORG, days: 10, rowsPerDay: 20, seed: 5, end: '2026-03-18' });
    const fresh = await rule({ name: 'Fresh', rule_type: 'data_freshness', conditions: { max_hours_since_update: 24 * 20 } });
    expect((await a.call('POST', `/rules/${fresh}/test`)).body).toMatchObject({ would_trigger: false, trigger_reason: null });
    await a.call('POST', `/rules/${fresh}/pause`);
    const id = await rule({ name: 'Stale', rule_type: 'data_freshness', conditions: { max_hours_since_update: 24 } });
    const test = await a.call('POST', `/rules/${id}/test`);
    expect(test.body, test.text).toMatchObject({ would_trigger: true });
    const providers = (test.body.evaluation_data.providers as { provider: string }[]).length;
    expect(providers).toBeGreaterThan(0);
    const before = hooksAt('/types').length;
    await firesOnceAcrossTwoRuns(['data_freshness'], providers);
    const got = hooksAt('/types').slice(before).map((g) => JSON.parse(g.body).data as Record<string, unknown>);
    expect(got).toHaveLength(providers);
    expect(got[0]).toMatchObject({ rule_type: 'data_freshness', max_hours_since_update: 24 });
    // Still stale an hour later: the same episode, nothing new.
    a.time.advance(HOUR);
    expect((await root({ alert_types: ['data_freshness'] })).body.alerts_triggered).toBe(0);
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('license_utilization is refused at creation with a 422 naming the missing data; credential_expiry conditions are checked (credential-expiry.test.ts evaluates it)', async () => {
    const exp = await a.call('POST', '/rules', { name: 'Keys', rule_type: 'credential_expiry', conditions: { expiry_warning_days: 14 }, notify_channel_ids: [channel] });
    expect(exp.status).toBe(422);
    expect(exp.body.detail).toContain('conditions.expiry_warning_days');
    const lic = await a.call('POST', '/rules', { name: 'Seats', rule_type: 'license_utilization', conditions: {}, notify_channel_ids: [channel] });
    expect(lic.status).toBe(422);
    expect(lic.body.detail).toContain('seats in use');
  });
});
