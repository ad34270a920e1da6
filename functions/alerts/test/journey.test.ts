import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { functionTables } from '../../../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';
import { verifyAt } from './support/verify.js';
import { insertLedger } from './support/ledger.js';

/**
 * The alerts journey over HTTP (a real socket) through the local gateway that routes to every
 * function: an INR org in Asia/Kolkata points an e-mail, a Slack and a webhook channel at local
 * receivers (a loopback SMTP server and HTTP receivers), adds a budget through the budgets
 * function, a budget rule, a forecast rule, an anomaly rule and a digest; its seeded costs cross
 * the budget and a runaway model spikes yesterday; process-all runs twice (as the scheduler
 * would) and every receiver got each notification exactly once; the webhook's signature verifies
 * with the secret answered at creation; the history shows the deliveries; acknowledge works.
 */
const ORG = 'journey_in';
let base: string;
let server: Server;
let key: string;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let slack: Awaited<ReturnType<typeof httpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let clock: () => Date;
let advance: (ms: number) => void;

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
  advance = time.advance;
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', SMTP_URL: smtp.url, OUTBOUND_ALLOW_LOOPBACK: 'true' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' })).api_key;
  // Nine weeks: the anomaly detector's same-weekday baseline needs at least four of them.
  await seedCosts(deps, { orgSlug: ORG, days: 63, rowsPerDay: 30, seed: 5, end: '2026-03-21' });
  // A model nobody used before burns through tokens yesterday (local 20 March).
  await insertLedger(deps, ORG, 'Asia/Kolkata', [{ day: '2026-03-20', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-runaway', model: 'gpt-runaway', category: 'llm', cost: 5000, hour: 10 }]);
  const gw = createLocalGateway(functionTables, deps);
  ({ server, url: base } = await gw.listen(0));
}, 120_000);
afterAll(async () => { server?.close(); await smtp.close(); await slack.close(); await hook.close(); });

describe('alerts journey through the local gateway', () => {
  it('channels, budget, forecast and anomaly rules, a digest, costs across them, process-all twice: each notification once on each channel, signed, in INR; history and acknowledge', async () => {
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
    const all = [email.body.channel_id, sl.body.channel_id, wh.body.channel_id];
    const rule = await call('POST', `${n}/rules`, { name: 'Monthly budget', rule_type: 'budget_percent', priority: 'high', conditions: { threshold_percent: threshold, budget_id: budget.body.budget_id }, notify_channel_ids: all });
    expect(rule.status, rule.text).toBe(201);
    const forecast = await call('POST', `${n}/rules`, { name: 'Month-end forecast', rule_type: 'budget_forecast', conditions: { threshold_percent: threshold, budget_id: budget.body.budget_id }, notify_channel_ids: all });
    expect(forecast.status, forecast.text).toBe(201);
    const anomaly = await call('POST', `${n}/rules`, { name: 'Spend anomaly', rule_type: 'anomaly_percent_change', conditions: { percent_threshold: 50, direction: 'up' }, notify_channel_ids: all });
    expect(anomaly.status, anomaly.text).toBe(201);
    // A digest every five minutes, so the scheduler's next run (ten minutes on) finds it due.
    const digest = await call('POST', `${n}/summaries`, { name: 'Finance digest', summary_type: 'daily', schedule_cron: '*/5 * * * *', notify_channel_ids: [email.body.channel_id, wh.body.channel_id], include_sections: ['cost_summary', 'top_services', 'anomalies'] });
    expect(digest.status, digest.text).toBe(201);
    expect(digest.body).toMatchObject({ schedule_timezone: 'Asia/Kolkata', next_scheduled_at: '2026-03-20T20:05:00.000Z' });
    advance(10 * 60_000);

    const root = { 'X-CA-Root-Key': TEST_ROOT_KEY };
    const first = await call('POST', '/api/v1/admin/alerts/process-all', {}, root);
    const second = await call('POST', '/api/v1/admin/alerts/process-all', {}, root);
    expect(first.status, first.text).toBe(200);
    expect(first.body, first.text).toMatchObject({ success: true, errors: 0, summaries_sent: 1 });
    const fired = first.body.alerts_triggered as number;
    expect(second.body).toMatchObject({ success: true, alerts_triggered: 0, notifications_sent: 0, summaries_sent: 0 });

    // The webhook: every event verifies, each firing once (unique webhook-ids), the digest once.
    const events = hook.got.map((g) => ({ id: g.headers['webhook-id'], event: verifyAt(secret, g.body, g.headers, clock()) as { type: string; data: Record<string, any> } }));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const alerts = events.filter((e) => e.event.type === 'alert.triggered').map((e) => e.event.data);
    expect(alerts).toHaveLength(fired);
    expect(alerts.filter((d) => d.rule_type === 'budget_percent')).toEqual([expect.objectContaining({ org_slug: ORG, currency: 'INR', budget_id: budget.body.budget_id, threshold_percent: threshold })]);
    expect(alerts.filter((d) => d.rule_type === 'budget_forecast')).toHaveLength(1);
    const runaway = alerts.filter((d) => d.rule_type === 'anomaly_percent_change' && JSON.stringify(d).includes('gpt-runaway'));
    expect(runaway, JSON.stringify(alerts.map((d) => d.rule_type))).toHaveLength(1);
    expect(runaway[0]).toMatchObject({ currency: 'INR' });
    const digests = events.filter((e) => e.event.type === 'summary.sent');
    expect(digests).toHaveLength(1);
    expect(digests[0]!.event.data).toMatchObject({ summary_name: 'Finance digest', currency: 'INR', period_start: '2026-03-20' });
    expect(JSON.stringify(digests[0]!.event.data.sections)).toContain('gpt-runaway');

    // E-mail: each firing and the digest once; Slack: each firing once.
    expect(smtp.mails).toHaveLength(fired + 1);
    expect(smtp.mails.every((m) => m.envelopeTo.join() === 'cfo@journey.example')).toBe(true);
    const budgetMail = smtp.mails.find((m) => m.subject!.includes('[CloudAct] Monthly budget'))!;
    expect(budgetMail.text).toMatch(/₹[\d,]+\.\d\d of ₹50,000\.00/);
    const digestMail = smtp.mails.find((m) => m.subject!.includes('Finance digest'))!;
    expect(digestMail.text).toContain('Total spend: ₹');
    expect(digestMail.text).toContain('gpt-runaway');
    expect(slack.got).toHaveLength(fired);
    const blocks = slack.got.map((g) => JSON.parse(g.body));
    expect(blocks.every((b) => b.channel === '#finops')).toBe(true);
    expect(blocks.some((b) => b.blocks[1].text.text.includes('₹'))).toBe(true);

    const history = await call('GET', `${n}/history?notification_type=alert&days=1&limit=500`);
    expect(history.body.total).toBe(3 * fired);
    const budgetEvent = events.find((e) => e.event.data.rule_type === 'budget_percent')!;
    const budgetRows = history.body.items.filter((i: { firing_id: string }) => i.firing_id === budgetEvent.id);
    expect(budgetRows.map((i: { status: string }) => i.status)).toEqual(['sent', 'sent', 'sent']);
    expect((await call('GET', `${n}/history?notification_type=summary&days=1`)).body.total).toBe(2);
    const ack = await call('POST', `${n}/history/${budgetRows[0].history_id}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body.acknowledged_at).not.toBeNull();
    const r = await call('GET', `${n}/rules/${rule.body.rule_id}`);
    expect(r.body).toMatchObject({ trigger_count_today: 1, acknowledged_by: expect.any(String) });
    const stats = await call('GET', `${n}/stats`);
    expect(stats.body).toMatchObject({ total_channels: 3, active_rules: 3, total_summaries: 1, alerts_24h: fired, notifications_24h: 3 * fired + 2, delivery_rate: 100 });
  }, 60_000);
});
