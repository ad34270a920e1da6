import { beforeAll, describe, expect, it } from 'vitest';
import { createBudget } from '@cloudact/shared/budgets/budgets/create';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';

let a: AlertsApp;
let channel: string;
let budget: string;

beforeAll(async () => {
  a = await alertsApp('rules_co', { onboardExtra: { default_currency: 'INR', default_timezone: 'Asia/Kolkata' } });
  channel = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: ['fin@example.com'] })).body.channel_id;
  budget = (await createBudget(testCtx(a.deps), { orgSlug: 'rules_co', category: 'cloud', period_type: 'monthly', budget_amount: '1000' })).budget_id;
}, 60_000);

const budgetRule = (extra: Record<string, unknown> = {}) => ({ name: 'Cloud budget 80 %', rule_type: 'budget_percent', priority: 'high', conditions: { threshold_percent: 80, budget_id: budget }, notify_channel_ids: [channel], ...extra });

describe('alert rules', () => {
  it('creates, lists, gets, updates, pauses, resumes and deletes a rule; defaults filled in', async () => {
    const c = await a.call('POST', '/rules', budgetRule());
    expect(c.status, c.text).toBe(201);
    expect(c.body).toMatchObject({ rule_type: 'budget_percent', rule_category: 'cost', priority: 'high', is_active: true, cooldown_minutes: 60, notify_channel_ids: [channel], last_triggered_at: null, trigger_count_today: 0, conditions: { threshold_percent: 80, budget_id: budget } });
    const id = c.body.rule_id as string;
    expect(((await a.call('GET', '/rules')).body as unknown as { rule_id: string }[]).map((r) => r.rule_id)).toContain(id);
    expect((await a.call('GET', `/rules/${id}`)).body.name).toBe('Cloud budget 80 %');
    const u = await a.call('PUT', `/rules/${id}`, { cooldown_minutes: 120, conditions: { threshold_percent: 90 } });
    expect(u.status, u.text).toBe(200);
    expect(u.body).toMatchObject({ cooldown_minutes: 120, conditions: { threshold_percent: 90 } });
    const p = await a.call('POST', `/rules/${id}/pause`);
    expect(p.status, p.text).toBe(200);
    expect(p.body.is_active).toBe(false);
    expect(((await a.call('GET', '/rules?is_active=false')).body as unknown as { rule_id: string }[]).map((r) => r.rule_id)).toEqual([id]);
    expect((await a.call('POST', `/rules/${id}/resume`)).body.is_active).toBe(true);
    expect((await a.call('DELETE', `/rules/${id}`)).status).toBe(204);
    expect((await a.call('GET', `/rules/${id}`)).status).toBe(404);
    expect((await a.call('POST', `/rules/${id}/pause`)).status).toBe(404);
  });

  it('a rule that cannot evaluate is refused with 422 naming the field, and nothing is stored', async () => {
    const before = ((await a.call('GET', '/rules')).body as unknown as unknown[]).length;
    for (const [body, field] of [
      [budgetRule({ notify_channel_ids: [] }), 'notify_channel_ids'],
      [budgetRule({ notify_channel_ids: ['no-such-channel'] }), 'notify_channel_ids'],
      [budgetRule({ escalate_to_channel_ids: ['nope'] }), 'escalate_to_channel_ids'],
      [budgetRule({ conditions: {} }), 'conditions.threshold_percent'],
      [budgetRule({ conditions: { threshold_percent: -5 } }), 'conditions.threshold_percent'],
      [budgetRule({ conditions: { threshold_percent: 80, budget_id: 'missing-budget' } }), 'conditions.budget_id'],
      [budgetRule({ conditions: { threshold_percent: 80, surprise: 1 } }), 'conditions'],
      [budgetRule({ rule_category: 'pipeline' }), 'rule_category'],
      [budgetRule({ rule_type: 'license_utilization', conditions: {} }), 'rule_type'],
      [budgetRule({ rule_type: 'anomaly_std_deviation', conditions: { std_threshold: 1 } }), 'conditions.std_threshold'],
      [budgetRule({ rule_type: 'nonsense' }), 'rule_type'],
      [budgetRule({ rule_type: 'absolute_threshold', conditions: { threshold_amount: 500, period: 'hourly' } }), 'conditions.period'],
      [budgetRule({ rule_type: 'absolute_threshold', conditions: { threshold_amount: 500, currency: 'USD' } }), 'conditions.currency'],
      [budgetRule({ quiet_hours_start: '22:00' }), 'quiet_hours_start'],
      [budgetRule({ quiet_hours_start: '22:00', quiet_hours_end: '07:00', quiet_hours_timezone: 'Mars/Olympus' }), 'quiet_hours_timezone'],
      [budgetRule({ quiet_hours_start: '25:00', quiet_hours_end: '07:00' }), 'quiet_hours_start'],
    ] as const) {
      const r = await a.call('POST', '/rules', body);
      expect(r.status, `${field}: ${r.text}`).toBe(422);
      expect(JSON.stringify(r.body), r.text).toContain(field);
    }
    expect(((await a.call('GET', '/rules')).body as unknown as unknown[]).length).toBe(before);
  });

  it('each evaluated type is accepted with its own conditions; an update that breaks a rule is 422 and leaves it', async () => {
    for (const [type, conditions] of [
      ['absolute_threshold', { threshold_amount: 5000, period: 'daily', currency: 'INR' }],
      ['pipeline_failure', { consecutive_failures: 2 }],
      ['integration_health', { provider: 'openai' }],
    ] as const) {
      const r = await a.call('POST', '/rules', { name: type, rule_type: type, conditions, notify_channel_ids: [channel] });
      expect(r.status, r.text).toBe(201);
    }
    const r = (await a.call('POST', '/rules', budgetRule())).body;
    const bad = await a.call('PUT', `/rules/${r.rule_id}`, { notify_channel_ids: ['gone'] });
    expect(bad.status, bad.text).toBe(422);
    expect((await a.call('GET', `/rules/${r.rule_id}`)).body.notify_channel_ids).toEqual([channel]);
  });

  it('another org\'s rules and channels are not reachable', async () => {
    const r = (await a.call('POST', '/rules', budgetRule())).body;
    const b = await alertsApp('rules_other');
    expect((await b.call('GET', `/api/v1/notifications/rules_other/rules/${r.rule_id}`)).status).toBe(404);
    expect((await b.call('POST', '/api/v1/notifications/rules_other/rules', { ...budgetRule(), conditions: { threshold_percent: 80 } })).status).toBe(422);
  });

  it('stats count channels and rules; history starts empty and unknown entries are 404', async () => {
    const s = await a.call('GET', '/stats');
    expect(s.status, s.text).toBe(200);
    expect(s.body).toMatchObject({ total_channels: 1, active_channels: 1, total_summaries: 0, notifications_24h: 0, alerts_24h: 0, delivery_rate: 100, pending_acknowledgments: 0 });
    expect(s.body.total_rules).toBeGreaterThanOrEqual(4);
    const h = await a.call('GET', '/history?days=30');
    expect(h.status, h.text).toBe(200);
    expect(h.body).toMatchObject({ items: [], total: 0, days: 30 });
    expect((await a.call('GET', '/history?days=91')).status).toBe(422);
    expect((await a.call('GET', '/history/nope')).status).toBe(404);
    expect((await a.call('POST', '/history/nope/acknowledge')).status).toBe(404);
  });
});
