import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlan } from '@cloudact/shared/saas/plans/create';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';
import { insertRuns } from './support/world.js';

let hook: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => { hook = await httpReceiver(() => ({ status: 200, body: 'ok' })); });
afterAll(async () => { await hook.close(); });

async function root(a: AlertsApp, body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

describe('new rule types under concurrent evaluation', () => {
  it('4 concurrent process-all runs on the concurrent-DML warehouse: a pipeline_success and a subscription_renewal firing each reach the receiver exactly once', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('race_types', { overrides: { warehouse }, now: '2026-03-20T15:00:00Z' });
    const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Race', webhook_url: hook.url('/race-types') })).body.channel_id;
    await insertRuns(a, [{ id: 'ok-race', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: new Date(a.deps.clock().getTime() - 3_600_000) }]);
    await createPlan(testCtx(a.deps), { orgSlug: 'race_types', provider: 'slack', plan_name: 'business', unit_price: '8.75', pricing_model: 'PER_SEAT', seats: 10, start_date: '2026-01-01', renewal_date: '2026-03-21' });
    for (const [name, rule_type] of [['Success', 'pipeline_success'], ['Renewal', 'subscription_renewal']] as const) {
      expect((await a.call('POST', '/rules', { name, rule_type, conditions: {}, notify_channel_ids: [channel], cooldown_minutes: 0 })).status).toBe(201);
    }
    const runs = await Promise.all(Array.from({ length: 4 }, () => root(a, { org_slug: 'race_types', alert_types: ['pipeline_success', 'subscription_renewal'] })));
    expect(runs.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(runs.reduce((n, r) => n + r.body.errors, 0), JSON.stringify(runs.map((r) => r.body.orgs))).toBe(0);
    expect(runs.reduce((n, r) => n + r.body.alerts_triggered, 0)).toBe(2);
    const got = hook.got.filter((r) => r.path === '/race-types').map((g) => JSON.parse(g.body).data.rule_type as string).sort();
    expect(got).toEqual(['pipeline_success', 'subscription_renewal']);
  }, 120_000);
});
