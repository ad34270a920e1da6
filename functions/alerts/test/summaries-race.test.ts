import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { proxyWarehouse } from './support/proxy-warehouse.js';
import { httpReceiver } from './support/receivers.js';

let hook: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => { hook = await httpReceiver(); });
afterAll(async () => { await hook.close(); });

async function root(a: AlertsApp, body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const at = (path: string) => hook.got.filter((g) => g.path === path);

/** A due daily digest (09:00 UTC) on a webhook receiver at `path`; the clock is moved past it. */
async function dueDigest(a: AlertsApp, path: string) {
  await seedCosts(a.deps, { orgSlug: a.org, days: 10, rowsPerDay: 10, seed: 2, end: '2026-03-20' });
  const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Digests', webhook_url: hook.url(path) })).body.channel_id as string;
  const s = await a.call('POST', '/summaries', { name: 'Daily', summary_type: 'daily', schedule_cron: '0 9 * * *', schedule_timezone: 'UTC', notify_channel_ids: [channel], include_sections: ['cost_summary'] });
  expect(s.status, s.text).toBe(201);
  a.time.set('2026-03-20T09:05:00Z');
  return s.body.summary_id as string;
}

describe('scheduled digests under concurrency and faults', () => {
  it('4 concurrent process-all runs on the concurrent-DML warehouse: the due digest reaches the receiver exactly once', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('digest_race', { overrides: { warehouse }, now: '2026-03-20T08:00:00Z' });
    await dueDigest(a, '/race');
    const runs = await Promise.all(Array.from({ length: 4 }, () => root(a, { org_slug: 'digest_race', alert_types: ['summary'] })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.reduce((n, r) => n + r.body.summaries_sent, 0), JSON.stringify(runs.map((r) => r.body.orgs))).toBe(1);
    expect(at('/race')).toHaveLength(1);
  }, 120_000);

  it('the claim fails before it runs: nothing is sent, the error is reported, and the next run sends it', async () => {
    const p = proxyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('digest_fault1', { now: '2026-03-20T08:00:00Z', overrides: { warehouse: p.wh } });
    const id = await dueDigest(a, '/fault1');
    p.fail((q) => q.sql.includes('last_send_id = @token') && q.sql.startsWith('UPDATE'), 'before');
    const first = await root(a, { org_slug: 'digest_fault1', alert_types: ['summary'] });
    expect(first.body).toMatchObject({ success: false, summaries_sent: 0 });
    expect(first.body.summary_errors).toEqual([expect.objectContaining({ summary_id: id })]);
    expect(at('/fault1')).toHaveLength(0);
    expect((await root(a, { org_slug: 'digest_fault1', alert_types: ['summary'] })).body.summaries_sent).toBe(1);
    expect(at('/fault1')).toHaveLength(1);
  }, 60_000);

  it('the claim commits but its answer is lost: it is read back by its token and sent once, and the next run sends nothing', async () => {
    const p = proxyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('digest_fault2', { now: '2026-03-20T08:00:00Z', overrides: { warehouse: p.wh } });
    await dueDigest(a, '/fault2');
    p.fail((q) => q.sql.includes('last_send_id = @token') && q.sql.startsWith('UPDATE'), 'after');
    const first = await root(a, { org_slug: 'digest_fault2', alert_types: ['summary'] });
    expect(first.body).toMatchObject({ summaries_sent: 1, summary_errors: [] });
    expect((await root(a, { org_slug: 'digest_fault2', alert_types: ['summary'] })).body.summaries_sent).toBe(0);
    expect(at('/fault2')).toHaveLength(1);
  }, 60_000);

  it('a receiver that keeps failing: the send is claimed once, each attempt is in the history as failed, and the evaluation run still answers', async () => {
    const bad = await httpReceiver(() => ({ status: 500, body: 'down' }));
    try {
      const a = await alertsApp('digest_fault3', { now: '2026-03-20T08:00:00Z' });
      await seedCosts(a.deps, { orgSlug: a.org, days: 5, rowsPerDay: 5, seed: 2, end: '2026-03-20' });
      const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Down', webhook_url: bad.url('/down') })).body.channel_id as string;
      const s = (await a.call('POST', '/summaries', { name: 'Daily', summary_type: 'daily', schedule_cron: '0 9 * * *', schedule_timezone: 'UTC', notify_channel_ids: [channel] })).body;
      a.time.set('2026-03-20T09:05:00Z');
      const r = await root(a, { org_slug: 'digest_fault3' });
      expect(r.status).toBe(200);
      expect(r.body.orgs[0]).toMatchObject({ summaries_sent: 1, notifications_failed: 1 });
      const history = (await a.call('GET', '/history?notification_type=summary')).body.items as { summary_id: string; status: string }[];
      expect(history.filter((h) => h.summary_id === s.summary_id).map((h) => h.status)).toEqual(['failed', 'failed', 'failed']);
      const sendNow = await a.call('POST', `/summaries/${s.summary_id}/send-now`);
      expect(sendNow.status).toBe(200);
      expect(sendNow.body).toMatchObject({ success: false, sent_to_channels: 0, failed_channels: 1 });
      expect(sendNow.body.error).toContain(channel);
    } finally { await bad.close(); }
  }, 60_000);
});
