import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from '@cloudact/shared/budgets/budgets/create';
import { budgetSummary } from '@cloudact/shared/budgets/budgets/summary';
import { updateOrgBudget } from '@cloudact/shared/budgets/budgets/update';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';
import { verifyAt } from './support/verify.js';
import { insertCredential, insertRuns } from './support/world.js';

const ORG = 'eval_in';
let a: AlertsApp;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let email: string;
let webhook: { channel_id: string; webhook_signing_secret: string };
let flaky = 0;

const run = (body: Record<string, unknown> = {}) => a.call('POST', '/api/v1/admin/alerts/process-all', { org_slug: ORG, ...body }, null).then((r) => r);
async function root(body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const hooksAt = (path: string) => hook.got.filter((r) => r.path === path);
async function rule(body: Record<string, unknown>) {
  const r = await a.call('POST', '/rules', body);
  expect(r.status, r.text).toBe(201);
  return r.body.rule_id as string;
}

beforeAll(async () => {
  smtp = await smtpReceiver();
  hook = await httpReceiver((r) => (r.path === '/flaky' && ++flaky < 3 ? { status: 503, body: 'busy' } : { status: 200, body: 'ok' }));
  // 20:00 UTC on 20 March is 01:30 on 21 March in Kolkata.
  a = await alertsApp(ORG, { env: { SMTP_URL: smtp.url }, onboardExtra: { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }, now: '2026-03-20T20:00:00Z' });
  await seedCosts(a.deps, { orgSlug: ORG, days: 25, rowsPerDay: 30, seed: 3, end: '2026-03-21' });
  email = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: ['fin@example.com'] })).body.channel_id;
  webhook = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url('/ops') })).body as typeof webhook;
}, 120_000);
afterAll(async () => { await smtp.close(); await hook.close(); });

describe('alert evaluation (process-all)', () => {
  it('is root only: an org key is refused', async () => {
    expect((await run()).status).toBe(401);
    expect([401, 403]).toContain((await a.call('POST', '/api/v1/admin/alerts/process-all', { org_slug: ORG })).status);
  });

  it('budget_percent: a budget past its threshold fires once per period and threshold, to e-mail and webhook, in INR; a second run delivers nothing', async () => {
    const budget = await createBudget(testCtx(a.deps), { orgSlug: ORG, category: 'cloud', period_type: 'monthly', budget_amount: '100' });
    const id = await rule({ name: 'Cloud budget', rule_type: 'budget_percent', priority: 'critical', conditions: { threshold_percent: 80, budget_id: budget.budget_id }, notify_channel_ids: [email, webhook.channel_id] });
    const mails = smtp.mails.length;
    const first = await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ success: true, orgs_processed: 1, alerts_triggered: 1, notifications_sent: 2, errors: 0, org_errors: [] });
    const second = await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    expect(second.body).toMatchObject({ alerts_triggered: 0, notifications_sent: 0 });
    expect(second.body.orgs[0].held_duplicate).toBe(1);
    expect(smtp.mails.length).toBe(mails + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.subject).toContain('Cloud budget');
    expect(mail.text).toContain('₹');
    expect(mail.text).toContain('2026-03-01..2026-03-31');
    const got = hooksAt('/ops');
    expect(got).toHaveLength(1);
    const event = verifyAt(webhook.webhook_signing_secret, got[0]!.body, got[0]!.headers, a.deps.clock()) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({ type: 'alert.triggered', data: { rule_id: id, org_slug: ORG, budget_id: budget.budget_id, currency: 'INR', threshold_percent: 80, priority: 'critical' } });
    expect(got[0]!.headers['webhook-id']).toMatch(/^evt_/);
    const listed = (await a.call('GET', `/rules/${id}`)).body;
    expect(listed.trigger_count_today).toBe(1);
    expect(listed.last_triggered_at).toBe(a.deps.clock().toISOString());
  });

  it('absolute_threshold (daily, local day): fires once a day; the next local day is a new period', async () => {
    const id = await rule({ name: 'Daily spend', rule_type: 'absolute_threshold', conditions: { threshold_amount: 1, period: 'daily' }, notify_channel_ids: [email], cooldown_minutes: 0 });
    const r1 = await root({ org_slug: ORG, alert_types: ['absolute_threshold'] });
    expect(r1.body.alerts_triggered, JSON.stringify(r1.body)).toBe(1);
    expect(smtp.mails.at(-1)!.text).toContain('on 2026-03-21');
    expect((await root({ org_slug: ORG, alert_types: ['absolute_threshold'] })).body.alerts_triggered).toBe(0);
    // 18:30 UTC on 21 March is midnight in Kolkata: the local day changes, not the UTC one.
    a.time.set('2026-03-21T18:30:00Z');
    await seedCosts(a.deps, { orgSlug: ORG, days: 1, rowsPerDay: 10, seed: 4, end: '2026-03-22' });
    const r3 = await root({ org_slug: ORG, alert_types: ['absolute_threshold'] });
    expect(r3.body.alerts_triggered).toBe(1);
    expect(smtp.mails.at(-1)!.text).toContain('on 2026-03-22');
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('cooldown: a rule fires at most once per cooldown_minutes, its other crossings wait', async () => {
    const b1 = await createBudget(testCtx(a.deps), { orgSlug: ORG, category: 'genai', period_type: 'monthly', budget_amount: '1' });
    const b2 = await createBudget(testCtx(a.deps), { orgSlug: ORG, category: 'total', period_type: 'monthly', budget_amount: '1' });
    const id = await rule({ name: 'Any budget', rule_type: 'budget_percent', conditions: { threshold_percent: 100 }, notify_channel_ids: [email], cooldown_minutes: 30 });
    const first = await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    const mine = (await a.call('GET', `/rules/${id}`)).body;
    expect(mine.trigger_count_today).toBe(1);
    expect(first.body.orgs[0].held_duplicate).toBeGreaterThanOrEqual(1);
    a.time.advance(31 * 60_000);
    await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    expect((await a.call('GET', `/rules/${id}`)).body.trigger_count_today).toBe(2);
    a.time.advance(31 * 60_000);
    await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    a.time.advance(31 * 60_000);
    await root({ org_slug: ORG, alert_types: ['budget_percent'] });
    // Three budgets crossed 100 % (the cloud one of 100 INR, b1, b2): three firings, then nothing more.
    expect((await a.call('GET', `/rules/${id}`)).body.trigger_count_today).toBe(3);
    expect([b1.budget_id, b2.budget_id]).toHaveLength(2);
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('pipeline_failure: consecutive failures fire once per failing run; a success in between holds it', async () => {
    const now = a.deps.clock().getTime();
    await insertRuns(a, [
      { id: 'run-a1', pipeline_id: 'gcp_billing', status: 'FAILED', start: new Date(now - 3 * 3_600_000), error: 'quota exceeded' },
      { id: 'run-a2', pipeline_id: 'gcp_billing', status: 'FAILED', start: new Date(now - 2 * 3_600_000), error: 'quota exceeded' },
      { id: 'run-b1', pipeline_id: 'openai_usage', status: 'FAILED', start: new Date(now - 3 * 3_600_000) },
      { id: 'run-b2', pipeline_id: 'openai_usage', status: 'SUCCESS', start: new Date(now - 2 * 3_600_000) },
    ]);
    const id = await rule({ name: 'Pipelines', rule_type: 'pipeline_failure', priority: 'high', conditions: { consecutive_failures: 2 }, notify_channel_ids: [webhook.channel_id], cooldown_minutes: 0 });
    const before = hooksAt('/ops').length;
    const r = await root({ org_slug: ORG, alert_types: ['pipeline'] });
    expect(r.body.alerts_triggered, JSON.stringify(r.body)).toBe(1);
    const got = hooksAt('/ops').slice(before);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).data).toMatchObject({ pipeline_id: 'gcp_billing', pipeline_logging_id: 'run-a2', error_message: 'quota exceeded' });
    expect((await root({ org_slug: ORG, alert_types: ['pipeline'] })).body.alerts_triggered).toBe(0);
    await insertRuns(a, [{ id: 'run-a3', pipeline_id: 'gcp_billing', status: 'FAILED', start: new Date(now - 3_600_000) }]);
    expect((await root({ org_slug: ORG, alert_types: ['pipeline'] })).body.alerts_triggered).toBe(1);
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('integration_health: an INVALID credential fires once per validation', async () => {
    const at = new Date(a.deps.clock().getTime() - 60_000);
    await insertCredential(a, { id: 'cred-1', provider: 'openai', status: 'INVALID', validatedAt: at, error: 'Incorrect API key' });
    await insertCredential(a, { id: 'cred-2', provider: 'anthropic', status: 'VALID', validatedAt: at });
    const id = await rule({ name: 'Keys', rule_type: 'integration_health', conditions: {}, notify_channel_ids: [email], cooldown_minutes: 0 });
    const r = await root({ org_slug: ORG, alert_types: ['integration_health'] });
    expect(r.body.alerts_triggered).toBe(1);
    expect(smtp.mails.at(-1)!.text).toContain('openai credential "openai prod" failed validation');
    expect((await root({ org_slug: ORG, alert_types: ['integration_health'] })).body.alerts_triggered).toBe(0);
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('a failing receiver is retried with backoff (bounded), every attempt in the history, with one stable webhook-id', async () => {
    const flakyHook = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Flaky', webhook_url: hook.url('/flaky') })).body;
    const id = await rule({ name: 'Flaky spend', rule_type: 'absolute_threshold', conditions: { threshold_amount: 1, period: 'monthly' }, notify_channel_ids: [flakyHook.channel_id] });
    const r = await root({ org_slug: ORG, alert_types: ['absolute_threshold'] });
    expect(r.body).toMatchObject({ alerts_triggered: 1, notifications_sent: 1 });
    const got = hooksAt('/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((g) => g.headers['webhook-id'])).size).toBe(1);
    const h = (await a.call('GET', `/history?channel_id=${flakyHook.channel_id}&days=1`)).body;
    expect(h.items.map((i: { attempt: number; status: string; provider_status: number }) => [i.attempt, i.status, i.provider_status]).sort()).toEqual([[1, 'failed', 503], [2, 'failed', 503], [3, 'sent', 200]]);
    await a.call('POST', `/rules/${id}/pause`);
  });

  it('dry_run evaluates and counts without recording or sending; quiet hours hold a firing until they end', async () => {
    const id = await rule({ name: 'Quiet', rule_type: 'absolute_threshold', conditions: { threshold_amount: 1, period: 'monthly' }, notify_channel_ids: [email], quiet_hours_start: '00:00', quiet_hours_end: '23:59', quiet_hours_timezone: 'Asia/Kolkata' });
    const mails = smtp.mails.length;
    const dry = await root({ org_slug: ORG, alert_types: ['absolute_threshold'], dry_run: true });
    expect(dry.body).toMatchObject({ dry_run: true, notifications_sent: 0 });
    expect(dry.body.alerts_triggered).toBeGreaterThanOrEqual(1);
    const quiet = await root({ org_slug: ORG, alert_types: ['absolute_threshold'] });
    expect(quiet.body.orgs[0].held_quiet_hours).toBe(1);
    expect(smtp.mails.length).toBe(mails);
    await a.call('PUT', `/rules/${id}`, { quiet_hours_start: null, quiet_hours_end: null, quiet_hours_timezone: null });
    const after = await root({ org_slug: ORG, alert_types: ['absolute_threshold'] });
    expect(after.body.alerts_triggered).toBe(1);
    expect(smtp.mails.length).toBe(mails + 1);
  });

  it('rules/{id}/test evaluates the org\'s own rule now without recording a firing; send_notification delivers a test', async () => {
    const id = await rule({ name: 'Test me', rule_type: 'absolute_threshold', conditions: { threshold_amount: 1, period: 'monthly' }, notify_channel_ids: [email] });
    const dry = await a.call('POST', `/rules/${id}/test`);
    expect(dry.status, dry.text).toBe(200);
    expect(dry.body).toMatchObject({ success: true, rule_id: id, rule_name: 'Test me', would_trigger: true, notification_sent: false, evaluation_data: { currency: 'INR', period: 'monthly' } });
    expect(dry.body.trigger_reason).toContain('₹');
    const mails = smtp.mails.length;
    const sent = await a.call('POST', `/rules/${id}/test?send_notification=true`);
    expect(sent.body).toMatchObject({ would_trigger: true, notification_sent: true });
    expect(smtp.mails.length).toBe(mails + 1);
    expect(smtp.mails.at(-1)!.subject).toContain('[TEST] Test me');
    // No firing was recorded: the real run still fires it.
    expect((await a.call('GET', `/rules/${id}`)).body.trigger_count_today).toBe(0);
    const other = await alertsApp('eval_other');
    expect((await other.call('POST', `/api/v1/notifications/eval_other/rules/${id}/test`)).status).toBe(404);
    expect((await other.call('POST', `/api/v1/notifications/${ORG}/rules/${id}/test`)).status).toBe(403);
    const high = await rule({ name: 'Never', rule_type: 'absolute_threshold', conditions: { threshold_amount: 1e12 }, notify_channel_ids: [email] });
    expect((await a.call('POST', `/rules/${high}/test`)).body).toMatchObject({ would_trigger: false, trigger_reason: null });
    await a.call('POST', `/rules/${id}/pause`);
    await a.call('POST', `/rules/${high}/pause`);
  });

  it('budget_forecast fires on the forecast (not the actual): a budget the actual has not reached but the run rate will; hierarchy_budget watches one entity\'s budgets', async () => {
    const ctx = testCtx(a.deps);
    const probe = await createBudget(ctx, { orgSlug: ORG, category: 'genai', period_type: 'monthly', budget_amount: '1000000000', hierarchy_entity_id: 'DEPT-CIO' });
    const item = (await budgetSummary(ctx, { orgSlug: ORG })).items.find((i) => i.budget_id === probe.budget_id)!;
    expect(item.actual_amount).toBeGreaterThan(0);
    // Between the actual (21 of 31 local days) and the run-rate forecast.
    const amount = Math.round(item.actual_amount * 1.2);
    await updateOrgBudget(ctx, { orgSlug: ORG, budgetId: probe.budget_id, budget_amount: String(amount) });
    const actualRule = await rule({ name: 'Actual 100', rule_type: 'budget_percent', conditions: { threshold_percent: 100, budget_id: probe.budget_id }, notify_channel_ids: [email], cooldown_minutes: 0 });
    const forecastRule = await rule({ name: 'Forecast 100', rule_type: 'budget_forecast', conditions: { threshold_percent: 100, budget_id: probe.budget_id }, notify_channel_ids: [email], cooldown_minutes: 0 });
    expect((await a.call('POST', '/rules', { name: 'H', rule_type: 'hierarchy_budget', conditions: { threshold_percent: 50 }, notify_channel_ids: [email] })).status).toBe(422);
    const hier = await rule({ name: 'CIO budgets', rule_type: 'hierarchy_budget', hierarchy_entity_id: 'DEPT-CIO', conditions: { threshold_percent: 50 }, notify_channel_ids: [email], cooldown_minutes: 0 });
    const r = await root({ org_slug: ORG, alert_types: ['budget_forecast', 'hierarchy_budget'] });
    expect(r.body.errors, JSON.stringify(r.body)).toBe(0);
    const mails = smtp.mails.slice(-r.body.alerts_triggered);
    expect(mails.some((m) => m.subject?.includes('Forecast 100') && /forecast to reach ₹[\d,.]+ of ₹[\d,.]+ \(1\d\d/.test(m.text ?? ''))).toBe(true);
    expect(mails.some((m) => m.subject?.includes('CIO budgets'))).toBe(true);
    const test = await a.call('POST', `/rules/${actualRule}/test`);
    expect(test.body.would_trigger, JSON.stringify(test.body)).toBe(false);
    for (const id of [actualRule, forecastRule, hier]) await a.call('POST', `/rules/${id}/pause`);
  });

  it('escalation: a firing unacknowledged escalate_after_mins later is re-sent once to the escalation channels; an acknowledged one is not', async () => {
    const ops = webhook.channel_id;
    const id = await rule({ name: 'Escalating', rule_type: 'integration_health', conditions: { provider: 'gemini' }, notify_channel_ids: [email], escalate_after_mins: 30, escalate_to_channel_ids: [ops], cooldown_minutes: 0 });
    const ack = await rule({ name: 'Acked', rule_type: 'integration_health', conditions: { provider: 'deepseek' }, notify_channel_ids: [email], escalate_after_mins: 30, escalate_to_channel_ids: [ops], cooldown_minutes: 0 });
    const at = new Date(a.deps.clock().getTime() - 60_000);
    await insertCredential(a, { id: 'cred-g', provider: 'gemini', status: 'INVALID', validatedAt: at });
    await insertCredential(a, { id: 'cred-d', provider: 'deepseek', status: 'INVALID', validatedAt: at });
    const first = await root({ org_slug: ORG, alert_types: ['integration_health'] });
    expect(first.body.alerts_triggered).toBe(2);
    const acked = (await a.call('GET', '/history?notification_type=alert&days=1')).body.items.find((i: { rule_id: string }) => i.rule_id === ack);
    expect((await a.call('POST', `/history/${acked.history_id}/acknowledge`)).status).toBe(200);
    const before = hooksAt('/ops').length;
    a.time.advance(10 * 60_000);
    expect((await root({ org_slug: ORG, alert_types: ['integration_health'] })).body.orgs[0].escalations).toBe(0);
    a.time.advance(25 * 60_000);
    const due = await root({ org_slug: ORG, alert_types: ['integration_health'] });
    expect(due.body.orgs[0].escalations, JSON.stringify(due.body)).toBe(1);
    expect((await root({ org_slug: ORG, alert_types: ['integration_health'] })).body.orgs[0].escalations).toBe(0);
    const got = hook.got.filter((r) => r.path === '/ops').slice(before);
    expect(got).toHaveLength(1);
    expect(JSON.parse(got[0]!.body).data).toMatchObject({ title: '[ESCALATED] Escalating', rule_id: id, escalation: true });
    await a.call('POST', `/rules/${id}/pause`);
    await a.call('POST', `/rules/${ack}/pause`);
  });

  it('an org that cannot be evaluated is an org_errors entry; every org in service is walked otherwise', async () => {
    const bad = await root({ org_slug: 'no_such_org' });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ success: false, orgs_processed: 0, errors: 1 });
    expect(bad.body.org_errors[0].org_slug).toBe('no_such_org');
    const all = await root({ dry_run: true });
    expect(all.body.orgs.map((o: { org_slug: string }) => o.org_slug)).toContain(ORG);
  });
});
