import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { convertedSql, referenceEngine } from '../../costs/test/support.js';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';
import { verifyAt } from './support/verify.js';

/**
 * Digests (issue 20): an org in Asia/Kolkata reporting in INR. 20:00 UTC on 20 March is 01:30 on
 * 21 March in Kolkata, so "yesterday" is the local 20 March and a 09:00 digest is due at 03:30 UTC.
 */
const ORG = 'digest_in';
let a: AlertsApp;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;
let email: string;
let webhook: { channel_id: string; webhook_signing_secret: string };

async function root(body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
async function create(body: Record<string, unknown>) {
  const r = await a.call('POST', '/summaries', body);
  expect(r.status, r.text).toBe(201);
  return r.body;
}
const round2 = (x: number) => Math.round(x * 100) / 100;

beforeAll(async () => {
  smtp = await smtpReceiver();
  hook = await httpReceiver();
  a = await alertsApp(ORG, { env: { SMTP_URL: smtp.url }, onboardExtra: { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }, now: '2026-03-20T20:00:00Z' });
  await seedCosts(a.deps, { orgSlug: ORG, days: 30, rowsPerDay: 40, seed: 5, end: '2026-03-21' });
  ref = await referenceEngine(a.deps.warehouse, `${ORG}_prod`);
  email = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: ['fin@example.com'] })).body.channel_id;
  webhook = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url('/digests') })).body as typeof webhook;
}, 120_000);
afterAll(async () => { await smtp.close(); await hook.close(); ref.close(); });

describe('digests (summaries)', () => {
  it('the web app\'s body creates one (201): next_scheduled_at is 09:00 in its timezone; list, get, update, pause and resume keep the schedule right', async () => {
    const s = await create({ name: 'Daily digest', summary_type: 'daily', schedule_cron: '0 9 * * *', schedule_timezone: 'Asia/Kolkata', notify_channel_ids: [email], include_sections: ['cost_summary', 'top_services', 'anomalies'], top_n_items: 3 });
    expect(s).toMatchObject({ org_slug: ORG, summary_type: 'daily', is_active: true, schedule_timezone: 'Asia/Kolkata', include_sections: ['cost_summary', 'top_services', 'anomalies'], top_n_items: 3, currency_display: null, last_sent_at: null, hierarchy_filter: null });
    expect(s.next_scheduled_at).toBe('2026-03-21T03:30:00.000Z');
    expect(s.created_by).not.toBe('system');
    const list = await a.call('GET', '/summaries');
    expect(list.status).toBe(200);
    expect(list.body.map((x: { summary_id: string }) => x.summary_id)).toContain(s.summary_id);
    expect((await a.call('GET', '/summaries?summary_type=weekly')).body).toEqual([]);
    expect((await a.call('GET', `/summaries/${s.summary_id}`)).body.name).toBe('Daily digest');
    // A weekly cron on Mondays in New York, across the DST change of 8 March: 09:00 EDT is 13:00 UTC.
    const moved = await a.call('PUT', `/summaries/${s.summary_id}`, { schedule_cron: '0 9 * * 1', schedule_timezone: 'America/New_York' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.next_scheduled_at).toBe('2026-03-23T13:00:00.000Z');
    const paused = await a.call('PUT', `/summaries/${s.summary_id}`, { is_active: false });
    expect(paused.body).toMatchObject({ is_active: false, next_scheduled_at: null });
    expect((await a.call('GET', '/summaries?active_only=true')).body.map((x: { summary_id: string }) => x.summary_id)).not.toContain(s.summary_id);
    const resumed = await a.call('PUT', `/summaries/${s.summary_id}`, { is_active: true });
    expect(resumed.body.next_scheduled_at).toBe('2026-03-23T13:00:00.000Z');
    expect((await a.call('DELETE', `/summaries/${s.summary_id}`)).status).toBe(204);
    expect((await a.call('GET', `/summaries/${s.summary_id}`)).status).toBe(404);
    expect((await a.call('DELETE', `/summaries/${s.summary_id}`)).status).toBe(404);
  });

  it.each([
    ['schedule_cron', { schedule_cron: '0 9 * * * *' }],
    ['schedule_cron', { schedule_cron: '61 9 * * *' }],
    ['schedule_cron', { schedule_cron: '0 0 30 2 *' }],
    ['schedule_timezone', { schedule_timezone: 'Mars/Olympus' }],
    ['notify_channel_ids', { notify_channel_ids: ['nope'] }],
    ['notify_channel_ids', { notify_channel_ids: [] }],
    ['include_sections', { include_sections: ['horoscope'] }],
    ['currency_display', { currency_display: 'XYZ' }],
    ['summary_type', { summary_type: 'hourly' }],
  ])('bad input is 422 naming %s, and nothing is stored', async (field, patch) => {
    const before = (await a.call('GET', '/summaries')).body.length;
    const r = await a.call('POST', '/summaries', { name: 'Bad', summary_type: 'daily', notify_channel_ids: [email], ...patch });
    expect(r.status, r.text).toBe(422);
    expect(JSON.stringify(r.body)).toContain(field);
    expect((await a.call('GET', '/summaries')).body.length).toBe(before);
  });

  it('preview: yesterday\'s local day in INR against the same weekday a week before, to the cent against SQL; top services and providers; nothing sent', async () => {
    const s = await create({ name: 'Preview me', summary_type: 'daily', notify_channel_ids: [email], include_sections: ['total_cost', 'wow_comparison', 'top_services', 'top_providers', 'cost_trend', 'budget_status'], top_n_items: 2 });
    const mails = smtp.mails.length;
    const r = await a.call('POST', `/summaries/${s.summary_id}/preview`);
    expect(r.status, r.text).toBe(200);
    const p = r.body.preview;
    expect(p).toMatchObject({ period: '2026-03-20', period_start: '2026-03-20', period_end: '2026-03-20', previous_period_start: '2026-03-13', previous_period_end: '2026-03-13', currency: 'INR', timezone: 'Asia/Kolkata', comparison: 'week over week' });
    const sql = async (day: string) => (await ref.rows<{ total: number }>(`SELECT SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', 'INR')}) WHERE day = DATE '${day}'`))[0]!.total;
    const [cur, prev] = [await sql('2026-03-20'), await sql('2026-03-13')];
    expect(cur).toBeGreaterThan(0);
    expect(p.total_cost).toBe(round2(cur));
    expect(p.previous_total_cost).toBe(round2(prev));
    expect(p.change_percent).toBe(Math.round(((round2(cur) - round2(prev)) / round2(prev)) * 1000) / 10);
    expect(p.sections.map((x: { key: string }) => x.key)).toEqual(['total_cost', 'wow_comparison', 'top_services', 'top_providers', 'cost_trend', 'budget_status']);
    const services = p.sections[2].data as { name: string; cost: number }[];
    expect(services).toHaveLength(2);
    expect(services[0]!.cost).toBeGreaterThanOrEqual(services[1]!.cost);
    const providers = await ref.rows<{ p: string; total: number }>(`SELECT ProviderName AS p, SUM(cost) AS total FROM (${convertedSql('Asia/Kolkata', 'INR')}) WHERE day = DATE '2026-03-20' GROUP BY 1 ORDER BY 2 DESC LIMIT 2`);
    expect(p.sections[3].data.map((x: { name: string; cost: number }) => [x.name, x.cost])).toEqual(providers.map((x) => [x.p, round2(x.total)]));
    expect(p.subject).toContain('₹');
    expect(p.text).toContain('Top 2 services');
    expect(smtp.mails.length).toBe(mails);
    expect((await a.call('POST', '/summaries/nope/preview')).status).toBe(404);
  });

  it('send-now delivers to e-mail and a signed webhook at once, records every attempt as a summary in the history, and counts in stats', async () => {
    const s = await create({ name: 'Weekly digest', summary_type: 'weekly', notify_channel_ids: [email, webhook.channel_id], include_sections: ['cost_summary', 'top_services'] });
    const mails = smtp.mails.length;
    const r = await a.call('POST', `/summaries/${s.summary_id}/send-now`, {});
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ success: true, summary_id: s.summary_id, sent_to_channels: 2, failed_channels: 0 });
    expect(r.body.content_preview.total_cost).toContain('₹');
    expect(smtp.mails.length).toBe(mails + 1);
    const mail = smtp.mails.at(-1)!;
    expect(mail.envelopeTo).toEqual(['fin@example.com']);
    expect(mail.subject).toContain('Weekly digest');
    expect(mail.subject).toContain('2026-03-14..2026-03-20');
    expect(mail.text).toContain('Total spend: ₹');
    const got = hook.got.filter((g) => g.path === '/digests').at(-1)!;
    const event = verifyAt(webhook.webhook_signing_secret, got.body, got.headers, a.deps.clock()) as { type: string; data: Record<string, unknown> };
    expect(event).toMatchObject({ type: 'summary.sent', data: { summary_id: s.summary_id, currency: 'INR', period_start: '2026-03-14', period_end: '2026-03-20' } });
    expect(got.headers['webhook-id']).toBe(r.body.event_id);
    const history = (await a.call('GET', '/history?notification_type=summary')).body.items as { summary_id: string; status: string; channel_id: string }[];
    expect(history.filter((h) => h.summary_id === s.summary_id).map((h) => [h.channel_id, h.status]).sort()).toEqual([[email, 'sent'], [webhook.channel_id, 'sent']].sort());
    expect((await a.call('GET', `/summaries/${s.summary_id}`)).body.last_sent_at).toBe(a.deps.clock().toISOString());
    const stats = (await a.call('GET', '/stats')).body;
    expect(stats.total_summaries).toBeGreaterThanOrEqual(2);
    expect(stats.active_summaries).toBe(stats.total_summaries);
  });

  it('a scheduled digest is sent once when due (process-all), not before, and its next slot follows; days missed send one digest, not one per slot', async () => {
    for (const x of (await a.call<{ summary_id: string }[]>('GET', '/summaries')).body) await a.call('DELETE', `/summaries/${x.summary_id}`);
    const s = await create({ name: 'Morning', summary_type: 'daily', schedule_cron: '0 9 * * *', notify_channel_ids: [email], include_sections: ['cost_summary'] });
    expect(s.schedule_timezone).toBe('Asia/Kolkata');
    const early = await root({ org_slug: ORG });
    expect(early.body.summaries_sent).toBe(0);
    a.time.set('2026-03-21T03:31:00Z');
    const mails = smtp.mails.length;
    const due = await root({ org_slug: ORG });
    expect(due.status, JSON.stringify(due.body)).toBe(200);
    expect(due.body).toMatchObject({ summaries_sent: 1, summary_errors: [] });
    expect(smtp.mails.length).toBe(mails + 1);
    expect(smtp.mails.at(-1)!.subject).toContain('Morning');
    expect((await root({ org_slug: ORG })).body.summaries_sent).toBe(0);
    const after = (await a.call('GET', `/summaries/${s.summary_id}`)).body;
    expect(after).toMatchObject({ last_sent_at: '2026-03-21T03:31:00.000Z', next_scheduled_at: '2026-03-22T03:30:00.000Z' });
    // The 15-minute digests job (no org, digests only) walks only orgs with a digest due: none now.
    expect((await root({ alert_types: ['summary'] })).body).toMatchObject({ orgs_processed: 0, summaries_sent: 0 });
    expect((await root({})).body.orgs_processed).toBe(1);
    // Three days with no scheduler run: one digest, then the next slot from now.
    a.time.set('2026-03-25T06:00:00Z');
    expect((await root({ alert_types: ['summary'] })).body).toMatchObject({ orgs_processed: 1, summaries_sent: 1 });
    expect((await a.call('GET', `/summaries/${s.summary_id}`)).body.next_scheduled_at).toBe('2026-03-26T03:30:00.000Z');
    expect(smtp.mails.length).toBe(mails + 2);
    // alert_types without 'summary' leave digests alone; dry_run counts without sending.
    a.time.set('2026-03-26T04:00:00Z');
    expect((await root({ org_slug: ORG, alert_types: ['budget_percent'] })).body.summaries_sent).toBe(0);
    const dry = await root({ org_slug: ORG, dry_run: true });
    expect(dry.body.orgs[0]).toMatchObject({ summaries_due: 1, summaries_sent: 0 });
    expect(smtp.mails.length).toBe(mails + 2);
    a.time.set('2026-03-20T20:00:00Z');
  });

  it('an org key is refused on another org\'s digests', async () => {
    const other = await alertsApp('digest_other', { now: '2026-03-20T20:00:00Z' });
    const r = await other.call('GET', `/api/v1/notifications/${ORG}/summaries`);
    expect([401, 403]).toContain(r.status);
  });
});
