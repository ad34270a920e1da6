import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { baseLedger, insertLedger } from './support/ledger.js';

/** An org with no anomaly rule: its anomalies are recorded by the evening run (its local 23:00 hour), once a day. */
const ORG = 'evening_co';
const TZ = 'America/New_York';
let a: AlertsApp;
async function root(body: Record<string, unknown> = {}) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG, ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

beforeAll(async () => {
  a = await alertsApp(ORG, { onboardExtra: { default_currency: 'USD', default_timezone: TZ }, now: '2026-03-20T02:30:00Z' });
  await insertLedger(a.deps, ORG, TZ, [
    ...baseLedger('2026-01-09', '2026-03-19'),
    { day: '2026-03-19', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1200, hour: 14 },
  ]);
}, 120_000);

describe('the evening anomaly detection', () => {
  it('runs in the org\'s local 23:00 hour only, records what it finds, and adds nothing on a second run', async () => {
    // 22:30 on Thursday 19 March in New York: not yet.
    const early = await root();
    expect(early.body.orgs[0].anomalies_detected).toBeNull();
    expect((await a.call('GET', '/anomalies')).body.items).toEqual([]);
    a.time.set('2026-03-20T03:10:00Z');
    const evening = await root();
    expect(evening.body, JSON.stringify(evening.body)).toMatchObject({ success: true, alerts_triggered: 0 });
    expect(evening.body.orgs[0].anomalies_detected).toBe(1);
    const items = (await a.call('GET', '/anomalies')).body.items as { series: { service: string }; start_day: string }[];
    expect(items.map((i) => [i.series.service, i.start_day])).toEqual([['Compute Engine', '2026-03-19']]);
    a.time.set('2026-03-20T03:40:00Z');
    expect((await root()).body.orgs[0].anomalies_detected).toBe(1);
    expect((await a.call('GET', '/anomalies')).body.items).toHaveLength(1);
    // A run for some rule types, a dry run, or the next hour does not detect.
    expect((await root({ alert_types: ['budget_percent'] })).body.orgs[0].anomalies_detected).toBeNull();
    expect((await root({ dry_run: true })).body.orgs[0].anomalies_detected).toBeNull();
    a.time.set('2026-03-20T04:10:00Z');
    expect((await root()).body.orgs[0].anomalies_detected).toBeNull();
  });
});
