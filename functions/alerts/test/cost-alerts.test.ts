import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { smtpReceiver } from './support/receivers.js';

const ORG = 'ca_in';
let a: AlertsApp;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
const ca = (method: string, path: string, body?: unknown) => a.call(method, `/api/v1/cost-alerts/${ORG}${path}`, body);

beforeAll(async () => {
  smtp = await smtpReceiver();
  a = await alertsApp(ORG, { env: { SMTP_URL: smtp.url }, onboardExtra: { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }, now: '2026-03-20T20:00:00Z' });
  await seedCosts(a.deps, { orgSlug: ORG, days: 21, rowsPerDay: 30, seed: 8, end: '2026-03-21' });
}, 120_000);
afterAll(() => smtp.close());

describe('cost alerts (a view over rules)', () => {
  it('needs a channel of each type it names (422 naming channels)', async () => {
    const r = await ca('POST', '', { name: 'Cloud', scope: 'cloud', threshold_value: 1000 });
    expect(r.status, r.text).toBe(422);
    expect(r.text).toContain('channels');
  });

  it('create, list, get, update, enable/disable, bulk, delete; thresholds only in the org\'s currency', async () => {
    const mail = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: ['fin@example.com'], is_default: true })).body.channel_id;
    const c = await ca('POST', '', { name: 'Cloud spend', scope: 'cloud', threshold_value: 1000, severity: 'critical' });
    expect(c.status, c.text).toBe(201);
    expect(c.body).toMatchObject({ scope: 'cloud', threshold_value: 1000, threshold_currency: 'INR', period: 'current_month', severity: 'critical', channels: ['email'], channel_ids: [mail], is_enabled: true, cooldown_hours: 1 });
    const id = c.body.alert_id as string;
    // The same record is a rule.
    expect((await a.call('GET', `/rules/${id}`)).body).toMatchObject({ rule_type: 'absolute_threshold', priority: 'critical', conditions: { threshold_amount: 1000, period: 'monthly', cost_category: 'cloud' } });
    expect((await ca('POST', '', { name: 'USD', threshold_value: 10, threshold_currency: 'USD' })).status).toBe(422);
    const openai = (await ca('POST', '', { name: 'OpenAI', scope: 'openai', threshold_value: 500, period: 'today' })).body;
    expect(openai).toMatchObject({ scope: 'openai', period: 'today', severity: 'warning' });
    expect(((await ca('GET', '?scope=openai')).body as unknown as { alert_id: string }[]).map((x) => x.alert_id)).toEqual([openai.alert_id]);
    const u = await ca('PUT', `/${id}`, { threshold_value: 2000, period: 'current_week', cooldown_hours: 6 });
    expect(u.status, u.text).toBe(200);
    expect(u.body).toMatchObject({ threshold_value: 2000, period: 'current_week', cooldown_hours: 6, scope: 'cloud' });
    expect((await ca('POST', `/${id}/disable`)).body.is_enabled).toBe(false);
    expect(((await ca('GET', '?enabled_only=true')).body as unknown as { alert_id: string }[]).map((x) => x.alert_id)).toEqual([openai.alert_id]);
    expect((await ca('POST', `/${id}/enable`)).body.is_enabled).toBe(true);
    const bulk = await ca('POST', '/bulk/disable', [id, openai.alert_id, 'nope']);
    expect(bulk.status, bulk.text).toBe(200);
    expect(bulk.body).toMatchObject({ success: false, disabled_count: 2, failed_count: 1, results: { disabled: [id, openai.alert_id], failed: [{ id: 'nope', reason: 'Not found' }] } });
    expect((await ca('POST', '/bulk/enable', { alert_ids: [id] })).body).toMatchObject({ success: true, enabled_count: 1 });
    // A rule of another type is not a cost alert.
    const pipeline = (await a.call('POST', '/rules', { name: 'P', rule_type: 'pipeline_failure', conditions: {}, notify_channel_ids: [mail] })).body.rule_id;
    expect((await ca('GET', `/${pipeline}`)).status).toBe(404);
    expect((await ca('DELETE', `/${pipeline}`)).status).toBe(404);
    expect((await ca('DELETE', `/${openai.alert_id}`)).status).toBe(204);
    expect((await ca('GET', `/${openai.alert_id}`)).status).toBe(404);
  });

  it('presets in the org\'s currency (the original\'s were USD), from-preset with overrides, and a preset alert fires once', async () => {
    const p = await ca('GET', '/presets');
    expect(p.status, p.text).toBe(200);
    expect(p.body.currency).toBe('INR');
    const cloud = p.body.presets.find((x: { id: string }) => x.id === 'cloud_1000');
    expect(cloud.threshold_currency).toBe('INR');
    // US$1,000 at the ECB rate of March 2026, to two significant figures.
    expect(cloud.threshold_value).toBeGreaterThan(70_000);
    expect(cloud.threshold_value).toBeLessThan(100_000);
    expect(String(cloud.threshold_value)).toMatch(/^\d\d0+$/);
    expect(cloud.name).toContain('₹');
    expect((await ca('POST', '/from-preset/cloud_5000_critical')).status).toBe(422); // no Slack channel
    const made = await ca('POST', '/from-preset/total_2500?threshold_override=1&name_override=Tiny');
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ name: 'Tiny', scope: 'all', threshold_value: 1, threshold_currency: 'INR' });
    expect((await ca('POST', '/from-preset/nope')).status).toBe(404);
    const before = smtp.mails.length;
    const run = async () => (await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG }) }))).json() as Promise<Record<string, number>>;
    const first = await run();
    expect(first.alerts_triggered).toBeGreaterThanOrEqual(1);
    await run();
    const tiny = smtp.mails.slice(before).filter((m) => m.subject?.includes('Tiny'));
    expect(tiny).toHaveLength(1);
    expect((await ca('GET', `/${made.body.alert_id}`)).body.last_triggered_at).not.toBeNull();
  });
});
