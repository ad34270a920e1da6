import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver, smtpReceiver } from './support/receivers.js';
import { verifyAt } from './support/verify.js';

let a: AlertsApp;
let smtp: Awaited<ReturnType<typeof smtpReceiver>>;
let hook: Awaited<ReturnType<typeof httpReceiver>>;

beforeAll(async () => {
  smtp = await smtpReceiver();
  hook = await httpReceiver((r) => (r.path === '/fail' ? { status: 500, body: 'down' } : r.path === '/redirect' ? { status: 302, headers: { location: 'http://169.254.169.254/' } } : { status: 200, body: 'ok' }));
  a = await alertsApp('chan_co', { env: { SMTP_URL: smtp.url } });
}, 60_000);
afterAll(async () => { await smtp.close(); await hook.close(); });

describe('notification channels', () => {
  it('creates an email channel, lists, gets, updates and deletes it', async () => {
    const c = await a.call('POST', '/channels', { channel_type: 'email', name: 'Finance', email_recipients: ['fin@example.com'], email_cc_recipients: ['cfo@example.com'], is_default: true });
    expect(c.status, c.text).toBe(201);
    expect(c.body).toMatchObject({ channel_type: 'email', name: 'Finance', is_default: true, is_active: true, email_recipients: ['fin@example.com'], slack_webhook_configured: false, webhook_configured: false });
    const id = c.body.channel_id as string;
    const l = await a.call('GET', '/channels');
    expect(l.status, l.text).toBe(200);
    expect((l.body as unknown as { channel_id: string }[]).map((x) => x.channel_id)).toContain(id);
    expect((await a.call('GET', `/channels/${id}`)).body.name).toBe('Finance');
    const u = await a.call('PUT', `/channels/${id}`, { name: 'Finance team', email_subject_prefix: '[Costs]' });
    expect(u.status, u.text).toBe(200);
    expect(u.body).toMatchObject({ name: 'Finance team', email_subject_prefix: '[Costs]', email_recipients: ['fin@example.com'] });
    const d = await a.call('DELETE', `/channels/${id}`);
    expect(d.status, d.text).toBe(204);
    expect((await a.call('GET', `/channels/${id}`)).status).toBe(404);
    expect((await a.call('DELETE', `/channels/${id}`)).status).toBe(404);
  });

  it('refuses a type without its required fields, and fields of another type, naming the field (422)', async () => {
    for (const [body, field] of [
      [{ channel_type: 'email', name: 'x' }, 'email_recipients'],
      [{ channel_type: 'email', name: 'x', email_recipients: [] }, 'email_recipients'],
      [{ channel_type: 'slack', name: 'x' }, 'slack_webhook_url'],
      [{ channel_type: 'webhook', name: 'x' }, 'webhook_url'],
      [{ channel_type: 'email', name: 'x', email_recipients: ['a@b.co'], webhook_url: 'https://example.com' }, 'webhook_url'],
      [{ channel_type: 'webhook', name: 'x', webhook_url: 'https://example.com', webhook_headers: { 'Webhook-Signature': 'forged' } }, 'webhook_headers'],
      [{ channel_type: 'email', name: 'x', email_recipients: ['not-an-address'] }, 'email_recipients'],
      [{ channel_type: 'fax', name: 'x' }, 'channel_type'],
    ] as const) {
      const r = await a.call('POST', '/channels', body);
      expect(r.status, `${JSON.stringify(body)} ${r.text}`).toBe(422);
      expect(JSON.stringify(r.body), r.text).toContain(field);
    }
  });

  it('never answers, stores or logs a URL or header in clear; the stored bytes open only under their own channel', async () => {
    const c = await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Ops', webhook_url: hook.url('/secret-path-xyz'), webhook_headers: { 'X-Token': 'tok-very-secret' } });
    expect(c.status, c.text).toBe(201);
    expect(c.body.webhook_configured).toBe(true);
    expect(String(c.body.webhook_signing_secret)).toMatch(/^whsec_/);
    const get = await a.call('GET', `/channels/${c.body.channel_id}`);
    expect(get.text).not.toContain('secret-path-xyz');
    expect(get.text).not.toContain('tok-very-secret');
    expect(get.text).not.toContain('whsec_');
    expect(JSON.stringify(a.deps.logger.lines)).not.toContain('secret-path-xyz');
    expect(JSON.stringify(a.deps.logger.lines)).not.toContain('tok-very-secret');
    const rows = await a.deps.warehouse.query({ sql: `SELECT * FROM ${a.deps.warehouse.table('organizations', 'org_notification_channels')} WHERE channel_id = @id`, params: { id: c.body.channel_id } });
    const dump = JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(dump).not.toContain('secret-path-xyz');
    expect(dump).not.toContain('tok-very-secret');
    const bytes = Buffer.from(rows[0]!.encrypted_target as Uint8Array);
    await expect(a.deps.encryptor.decrypt(bytes, `org:chan_co:x:notification-channel:${c.body.channel_id}:target`)).rejects.toThrow();
  });

  it('one default per type: a new default clears the old one; other types keep theirs', async () => {
    const e1 = (await a.call('POST', '/channels', { channel_type: 'email', name: 'E1', email_recipients: ['a@b.co'], is_default: true })).body;
    const s1 = (await a.call('POST', '/channels', { channel_type: 'slack', name: 'S1', slack_webhook_url: hook.url('/slack'), is_default: true })).body;
    const e2 = (await a.call('POST', '/channels', { channel_type: 'email', name: 'E2', email_recipients: ['c@d.co'], is_default: true })).body;
    const list = (await a.call('GET', '/channels')).body as unknown as { channel_id: string; channel_type: string; is_default: boolean }[];
    expect(list.filter((c) => c.channel_type === 'email' && c.is_default).map((c) => c.channel_id)).toEqual([e2.channel_id]);
    expect(list.find((c) => c.channel_id === s1.channel_id)!.is_default).toBe(true);
    expect(list.find((c) => c.channel_id === e1.channel_id)!.is_default).toBe(false);
    // Back again through PUT.
    expect((await a.call('PUT', `/channels/${e1.channel_id}`, { is_default: true })).status).toBe(200);
    const again = (await a.call('GET', '/channels?channel_type=email')).body as unknown as { channel_id: string; is_default: boolean }[];
    expect(again.filter((c) => c.is_default).map((c) => c.channel_id)).toEqual([e1.channel_id]);
  });

  it('test: a real e-mail through SMTP (recipients, subject, body), recorded in the history', async () => {
    const c = (await a.call('POST', '/channels', { channel_type: 'email', name: 'Mail test', email_recipients: ['to@example.com'], email_cc_recipients: ['cc@example.com'], email_subject_prefix: '[Spend]' })).body;
    const before = smtp.mails.length;
    const t = await a.call('POST', `/channels/${c.channel_id}/test`);
    expect(t.status, t.text).toBe(200);
    expect(t.body).toMatchObject({ success: true, channel_id: c.channel_id, channel_name: 'Mail test', provider_status: 250 });
    expect(smtp.mails.length).toBe(before + 1);
    const m = smtp.mails.at(-1)!;
    expect(m.envelopeTo.sort()).toEqual(['cc@example.com', 'to@example.com']);
    expect(m.subject).toBe('[Spend] Test notification for Mail test');
    expect(m.text).toContain('test of the email channel "Mail test" of chan_co');
    const rows = await a.deps.warehouse.query({ sql: `SELECT status, notification_type, provider_status FROM ${a.deps.warehouse.table('organizations', 'org_notification_history')} WHERE history_id = @id`, params: { id: t.body.history_id } });
    expect(rows).toEqual([{ status: 'sent', notification_type: 'test', provider_status: 250 }]);
  });

  it('test: Slack gets a Block Kit payload; a webhook gets a Standard Webhooks signature its secret verifies', async () => {
    const s = (await a.call('POST', '/channels', { channel_type: 'slack', name: 'Slack test', slack_webhook_url: hook.url('/slack-test'), slack_mention_users: ['U123'], slack_mention_channel: true })).body;
    const ts = await a.call('POST', `/channels/${s.channel_id}/test`);
    expect(ts.body, ts.text).toMatchObject({ success: true, provider_status: 200 });
    const slack = hook.got.find((r) => r.path === '/slack-test')!;
    const payload = JSON.parse(slack.body);
    expect(payload.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'context']);
    expect(payload.text).toContain('<!channel> <@U123>');
    const w = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Hook test', webhook_url: hook.url('/hook-test'), webhook_headers: { 'X-Team': 'ops' } })).body;
    const tw = await a.call('POST', `/channels/${w.channel_id}/test`);
    expect(tw.body, tw.text).toMatchObject({ success: true, provider_status: 200 });
    const got = hook.got.find((r) => r.path === '/hook-test')!;
    expect(got.headers['x-team']).toBe('ops');
    const verified = verifyAt(w.webhook_signing_secret as string, got.body, got.headers, a.deps.clock()) as { type: string; data: { org_slug: string } };
    expect(verified).toMatchObject({ type: 'channel.test', data: { org_slug: 'chan_co' } });
    expect(() => verifyAt(`whsec_${Buffer.alloc(24, 1).toString('base64')}`, got.body, got.headers, a.deps.clock())).toThrow(/signature/i);
  });

  it('test: a failing receiver is success: false with its status (one attempt, recorded), never 5xx; a redirect is refused, not followed', async () => {
    const f = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Down', webhook_url: hook.url('/fail') })).body;
    const t = await a.call('POST', `/channels/${f.channel_id}/test`);
    expect(t.status, t.text).toBe(200);
    expect(t.body).toMatchObject({ success: false, provider_status: 500, error: 'the receiver answered HTTP 500' });
    const r = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Redirect', webhook_url: hook.url('/redirect') })).body;
    const before = hook.got.length;
    const tr = await a.call('POST', `/channels/${r.channel_id}/test`);
    expect(tr.body.success).toBe(false);
    expect(tr.body.error).toContain('redirect');
    expect(hook.got.length).toBe(before + 1);
  });

  it('an e-mail channel without SMTP_URL answers that none is configured', async () => {
    const b = await alertsApp('nosmtp_co');
    const c = (await b.call('POST', '/channels', { channel_type: 'email', name: 'M', email_recipients: ['a@b.co'] })).body;
    const t = await b.call('POST', `/channels/${c.channel_id}/test`);
    expect(t.body).toMatchObject({ success: false, error: 'no SMTP server is configured (SMTP_URL)' });
  });

  it('history lists every attempt (filters, paging), gets one, acknowledges once; stats count them', async () => {
    const all = await a.call('GET', '/history?days=1');
    expect(all.status, all.text).toBe(200);
    expect(all.body.total).toBeGreaterThanOrEqual(5);
    const failed = await a.call('GET', '/history?status=failed&notification_type=test');
    expect(failed.body.items.length).toBeGreaterThanOrEqual(2);
    expect(failed.body.items.every((i: { status: string }) => i.status === 'failed')).toBe(true);
    const page = await a.call('GET', '/history?limit=2&offset=1');
    expect(page.body.items).toHaveLength(2);
    const first = all.body.items[0];
    const one = await a.call('GET', `/history/${first.history_id}`);
    expect(one.body).toMatchObject({ history_id: first.history_id, notification_id: first.history_id, acknowledged_at: null });
    const ack = await a.call('POST', `/history/${first.history_id}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body.acknowledged_at).not.toBeNull();
    a.time.advance(60_000);
    const again = await a.call('POST', `/history/${first.history_id}/acknowledge`);
    expect(again.body.acknowledged_at).toBe(ack.body.acknowledged_at);
    const stats = (await a.call('GET', '/stats')).body;
    expect(stats.notifications_24h).toBe(all.body.total);
    expect(stats.delivery_rate).toBeGreaterThan(0);
    expect(stats.delivery_rate).toBeLessThan(100);
  });

  it('rotate-secret: a new secret answered once; for 24 hours deliveries verify with it and with the old one, then with the new one only; 422 for other types', async () => {
    const w = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Rotating', webhook_url: hook.url('/rotating') })).body;
    const r = await a.call('POST', `/channels/${w.channel_id}/rotate-secret`);
    expect(r.status, r.text).toBe(200);
    expect(r.body.webhook_signing_secret).toMatch(/^whsec_/);
    expect(r.body.webhook_signing_secret).not.toBe(w.webhook_signing_secret);
    await a.call('POST', `/channels/${w.channel_id}/test`);
    const got = hook.got.filter((g) => g.path === '/rotating').at(-1)!;
    expect(verifyAt(r.body.webhook_signing_secret, got.body, got.headers, a.deps.clock())).toMatchObject({ type: 'channel.test' });
    // A receiver still on the old secret keeps verifying through the grace period.
    expect(verifyAt(w.webhook_signing_secret, got.body, got.headers, a.deps.clock())).toMatchObject({ type: 'channel.test' });
    expect(r.body.previous_secret_valid_until).toBe(new Date(a.deps.clock().getTime() + 24 * 3_600_000).toISOString());
    a.time.advance(24 * 3_600_000 + 1000);
    await a.call('POST', `/channels/${w.channel_id}/test`);
    const later = hook.got.filter((g) => g.path === '/rotating').at(-1)!;
    expect(later.headers['webhook-signature']).not.toContain(' ');
    expect(verifyAt(r.body.webhook_signing_secret, later.body, later.headers, a.deps.clock())).toMatchObject({ type: 'channel.test' });
    expect(() => verifyAt(w.webhook_signing_secret, later.body, later.headers, a.deps.clock())).toThrow();
    expect((await a.call('GET', `/channels/${w.channel_id}`)).text).not.toContain('whsec_');
    const e = (await a.call('POST', '/channels', { channel_type: 'email', name: 'E', email_recipients: ['x@y.co'] })).body;
    const bad = await a.call('POST', `/channels/${e.channel_id}/rotate-secret`);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('channel_type');
  });
});
