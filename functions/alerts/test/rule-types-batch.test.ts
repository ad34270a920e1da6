import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';
import { insertRuns } from './support/world.js';

let hook: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => { hook = await httpReceiver(() => ({ status: 200, body: 'ok' })); });
afterAll(async () => { await hook.close(); });

const HOUR = 3_600_000;
async function root(a: AlertsApp) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: a.org, alert_types: ['pipeline_success'] }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const at = (path: string) => hook.got.filter((r) => r.path === path);

/** An org with a pipeline_success rule batched over 30 minutes and three successful runs. */
async function world(a: AlertsApp, path: string) {
  const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Batch', webhook_url: hook.url(path) })).body.channel_id;
  const now = a.deps.clock().getTime();
  await insertRuns(a, ['b1', 'b2', 'b3'].map((id, i) => ({ id: `${path}-${id}`, pipeline_id: `p${i}`, status: 'SUCCESS', start: new Date(now - (i + 1) * HOUR) })));
  const r = await a.call('POST', '/rules', { name: 'Batched', rule_type: 'pipeline_success', conditions: {}, notify_channel_ids: [channel], cooldown_minutes: 0, batch_window_minutes: 30 });
  expect(r.status, r.text).toBe(201);
}

describe('batch_window_minutes: firings within the window go out as one delivery per channel', () => {
  it('three firings wait for the window, then one message lists them; later runs send nothing', async () => {
    const a = await alertsApp('batch_co', { now: '2026-03-20T15:00:00Z' });
    await world(a, '/batch');
    const first = await root(a);
    expect(first.body, JSON.stringify(first.body)).toMatchObject({ alerts_triggered: 3, notifications_sent: 0, errors: 0 });
    expect(at('/batch')).toHaveLength(0);
    a.time.advance(10 * 60_000);
    expect((await root(a)).body).toMatchObject({ alerts_triggered: 0, notifications_sent: 0 });
    a.time.advance(21 * 60_000);
    expect((await root(a)).body).toMatchObject({ alerts_triggered: 0, notifications_sent: 1 });
    const got = at('/batch');
    expect(got).toHaveLength(1);
    const data = JSON.parse(got[0]!.body).data as { batch: boolean; firing_ids: string[]; title: string };
    expect(data.batch).toBe(true);
    expect(data.firing_ids).toHaveLength(3);
    expect((await root(a)).body.notifications_sent).toBe(0);
    // A later firing opens a new window.
    await insertRuns(a, [{ id: 'late', pipeline_id: 'p9', status: 'SUCCESS', start: a.deps.clock() }]);
    expect((await root(a)).body).toMatchObject({ alerts_triggered: 1, notifications_sent: 0 });
    a.time.advance(31 * 60_000);
    expect((await root(a)).body.notifications_sent).toBe(1);
    expect(JSON.parse(at('/batch')[1]!.body).data.firing_ids).toHaveLength(1);
    expect(at('/batch')).toHaveLength(2);
  }, 60_000);

  it('4 concurrent runs after the window on the concurrent-DML warehouse deliver the batch once', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('batch_race', { overrides: { warehouse }, now: '2026-03-20T15:00:00Z' });
    await world(a, '/batch-race');
    expect((await root(a)).body.alerts_triggered).toBe(3);
    a.time.advance(31 * 60_000);
    const runs = await Promise.all(Array.from({ length: 4 }, () => root(a)));
    expect(runs.reduce((n, r) => n + r.body.errors, 0), JSON.stringify(runs.map((r) => r.body.orgs))).toBe(0);
    expect(runs.reduce((n, r) => n + r.body.notifications_sent, 0)).toBe(1);
    expect(at('/batch-race')).toHaveLength(1);
  }, 120_000);
});
