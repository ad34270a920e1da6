import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { functionTables } from '../../../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';
import { verifyAt } from './support/verify.js';

/**
 * The alerts journey over HTTP (a real socket) through the local gateway that routes to every
 * function: an INR org in Asia/Kolkata points an e-mail, a Slack and a webhook channel at local
 * receivers (a loopback SMTP server and HTTP receivers), adds a budget through the budgets
 * function and a budget rule, its seeded costs cross it, process-all runs twice (as the hourly
 * scheduler would) and every receiver got the alert exactly once; the webhook's signature
 * verifies with the secret answered at creation; the history shows the deliveries; acknowledge works.
 */
const ORG = 'journey_in';
let base: string;
let server: Server;
let key: string;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let slack: Awaited<ReturnType<typeof httpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let clock: () => Date;

async function call(method: string, path: string, body?: unknown, auth: Record<string, string> = { 'X-API-Key': key }) {
  const res = await fetch(base + path, { method, headers: { 'Content-Type': 'application/json', 'X-Request-ID': `req_journey_${Date.now()}`, ...auth }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, any>, text };
}

beforeAll(async () => {
  smtp = await smtpReceiver();
  slack = await httpReceiver();
  hook = await httpReceiver();
  const time = settableClock(Date.parse('2026-03-20T20:00:00Z'));
  clock = time.clock;
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', SMTP_URL: smtp.url, OUTBOUND_ALLOW_LOOPBACK: 'true' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' })).api_key;
  await seedCosts(deps, { orgSlug: ORG, days: 21, rowsPerDay: 30, seed: 5, end: '2026-03-21' });
  const gw = createLocalGateway(functionTables, deps);
  ({ server, url: base } = await gw.listen(0));
}, 120_000);
afterAll(async () => { server?.close(); await smtp.close(); await slack.close(); await hook.close(); });

describe('alerts journey through the local gateway', () => {
  it('channels, a budget rule, costs across it, process-all twice: one e-mail, one Slack message, one signed webhook, in INR; history and acknowledge', async () => {
    const n = `/api/v1/notifications/${ORG}`;
    const email = await call('POST', `${n}/channels`, { channel_type: 'email', name: 'Finance', email_recipients: ['cfo@journey.example'], email_subject_prefix: '[CloudAct]', is_default: true });
    const sl = await call('POST', `${n}/channels`, { channel_type: 'slack', name: 'Slack #finops', slack_webhook_url: slack.url('/services/T000/B000/XXXX'), slack_channel: '#finops' });
    const wh = await call('POST', `${n}/channels`, { channel_type: 'webhook', name: 'Ops webhook', webhook_url: hook.url('/cloudact') });
    for (const c of [email, sl, wh]) expect(c.status, c.text).toBe(201);
    expect(sl.text).not.toContain('/services/T000');
    const secret = wh.body.webhook_signing_secret as string;

    const budget = await call('POST', `/api/v1/budgets/${ORG}`, { category: 'total', period_type: 'monthly', budget_amount: '50000' });
    expect(budget.status, budget.text).toBe(201);
    expect(budget.body.currency).toBe('INR');
    const summary = await call('GET', `/api/v1/budgets/${ORG}/summary`);
    const actual = summary.body.items[0].actual_amount as number;
    // The seeded month is far past 50 000 INR: the rule's threshold is set from the real actual, so the test does not depend on the seed's scale.
    const threshold = Math.max(1, Math.floor((actual / 50000) * 100 * 0.9));
    const rule = await call('POST', `${n}/rules`, { name: 'Monthly budget', rule_type: 'budget_percent', priority: 'high', conditions: { threshold_percent: threshold, budget_id: budget.body.budget_id }, notify_channel_ids: [email.body.channel_id, sl.body.channel_id, wh.body.channel_id] });
    expect(rule.status, rule.text).toBe(201);

    const root = { 'X-CA-Root-Key': TEST_ROOT_KEY };
    const first = await call('POST', '/api/v1/admin/alerts/process-all', {}, root);
    const second = await call('POST', '/api/v1/admin/alerts/process-all', {}, root);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ success: true, alerts_triggered: 1, notifications_sent: 3, errors: 0 });
    expect(second.body).toMatchObject({ success: true, alerts_triggered: 0, notifications_sent: 0 });

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.envelopeTo).toEqual(['cfo@journey.example']);
    expect(smtp.mails[0]!.subject).toContain('[CloudAct] Monthly budget');
    expect(smtp.mails[0]!.text).toMatch(/₹[\d,]+\.\d\d of ₹50,000\.00/);
    expect(slack.got).toHaveLength(1);
    const blocks = JSON.parse(slack.got[0]!.body);
    expect(blocks).toMatchObject({ channel: '#finops' });
    expect(blocks.blocks[1].text.text).toContain('₹');
    expect(hook.got).toHaveLength(1);
    const event = verifyAt(secret, hook.got[0]!.body, hook.got[0]!.headers, clock()) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({ type: 'alert.triggered', data: { org_slug: ORG, currency: 'INR', budget_id: budget.body.budget_id, threshold_percent: threshold } });

    const history = await call('GET', `${n}/history?notification_type=alert&days=1`);
    expect(history.body.total).toBe(3);
    expect(history.body.items.every((i: { status: string; firing_id: string }) => i.status === 'sent' && i.firing_id === hook.got[0]!.headers['webhook-id'])).toBe(true);
    const ack = await call('POST', `${n}/history/${history.body.items[0].history_id}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body.acknowledged_at).not.toBeNull();
    const r = await call('GET', `${n}/rules/${rule.body.rule_id}`);
    expect(r.body).toMatchObject({ trigger_count_today: 1, acknowledged_by: expect.any(String) });
    const stats = await call('GET', `${n}/stats`);
    expect(stats.body).toMatchObject({ total_channels: 3, active_rules: 1, alerts_24h: 1, notifications_24h: 3, delivery_rate: 100, pending_acknowledgments: 2 });
  }, 60_000);
});
