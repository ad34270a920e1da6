import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { baseLedger, insertLedger } from './support/ledger.js';
import { httpReceiver } from './support/receivers.js';

const ORG = 'anomaly_co';
const TZ = 'America/New_York';
let a: AlertsApp;
let hook: Awaited<ReturnType<typeof httpReceiver>>;

async function root(body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG, ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

beforeAll(async () => {
  hook = await httpReceiver(() => ({ status: 200, body: 'ok' }));
  // Friday 2026-03-20, 11:00 in New York (the US changed to daylight time on 2026-03-08, inside the baseline).
  a = await alertsApp(ORG, { onboardExtra: { default_currency: 'USD', default_timezone: TZ }, now: '2026-03-20T15:00:00Z' });
  await insertLedger(a.deps, ORG, TZ, [
    ...baseLedger('2026-01-09', '2026-03-19'),
    // Today so far (the morning's rows): GPU SKU at 5x, the rest as usual.
    { day: '2026-03-20', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 700, hour: 8 },
    { day: '2026-03-20', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1500, hour: 8 },
    // Not usage: a committed-use purchase, tax and a credit on Compute Engine, and a SaaS renewal: never anomalies.
    { day: '2026-03-19', provider: 'Google Cloud', service: 'Compute Engine', sku: 'CUD-1Y', cost: 25_000, charge: 'Purchase' },
    { day: '2026-03-19', provider: 'Google Cloud', service: 'Compute Engine', sku: 'TAX', cost: 4_000, charge: 'Tax' },
    { day: '2026-03-18', provider: 'Google Cloud', service: 'Compute Engine', sku: 'CREDIT', cost: -3_000, charge: 'Credit' },
    { day: '2026-03-19', provider: 'Slack', service: 'Slack Business+', sku: 'BUSINESS', cost: 9_000, category: 'saas', charge: 'Purchase' },
  ]);
}, 120_000);
afterAll(async () => { await hook.close(); });

describe('anomaly detection over HTTP (DuckDB)', () => {
  let computeId: string;

  it('detects the injected spike on its first (partial) day, names its contributors, and flags no weekend dip (BigQuery at a quarter), purchase, tax, credit or SaaS renewal', async () => {
    const r = await a.call('POST', '/anomalies/detect');
    expect(r.status, r.text).toBe(200);
    expect(r.body.today).toBe('2026-03-20');
    expect(r.body.currency).toBe('USD');
    expect(r.body.series_watched).toBe(4);
    // 1 % of ~1,470 a day (above the 10 USD floor).
    expect(r.body.min_impact_amount).toBeGreaterThan(10);
    expect(r.body.min_impact_amount).toBeLessThan(20);
    const found = r.body.anomalies as Record<string, any>[];
    expect(found.map((x) => x.series.key), JSON.stringify(found)).toEqual(['Google Cloud|Compute Engine|']);
    const x = found[0]!;
    expect(x).toMatchObject({ status: 'open', direction: 'up', start_day: '2026-03-20', last_seen_day: '2026-03-20', peak_day: '2026-03-20', currency: 'USD', baseline_weeks: 8 });
    expect(x.percent_change).toBeGreaterThan(100);
    expect(x.impact_amount).toBeGreaterThan(1000);
    expect(x.contributors[0]).toMatchObject({ sku: 'SKU-GPU' });
    expect(x.contributors[0].delta).toBeGreaterThan(1000);
    computeId = x.anomaly_id;
    const list = await a.call('GET', '/anomalies');
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: Record<string, any>) => i.anomaly_id)).toEqual([computeId]);
    expect((await a.call('GET', `/anomalies/${computeId}`)).body).toMatchObject({ anomaly_id: computeId, series: { provider: 'Google Cloud', service: 'Compute Engine', model: null } });
  });

  it('a second day of the same anomaly extends its one record (last_seen_day, impact), and a rerun changes nothing', async () => {
    a.time.set('2026-03-21T20:00:00Z');
    await insertLedger(a.deps, ORG, TZ, [
      { day: '2026-03-20', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1500, hour: 16 },
      { day: '2026-03-20', provider: 'Google Cloud', service: 'BigQuery', sku: 'SKU-BQ', cost: 400 },
      { day: '2026-03-20', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o', model: 'gpt-4o', category: 'llm', cost: 300 },
      { day: '2026-03-20', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 50 },
      // Saturday: the GPUs still run at 5x of a weekend day.
      { day: '2026-03-21', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 350 },
      { day: '2026-03-21', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 750 },
      { day: '2026-03-21', provider: 'Google Cloud', service: 'BigQuery', sku: 'SKU-BQ', cost: 100 },
      { day: '2026-03-21', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o', model: 'gpt-4o', category: 'llm', cost: 300 },
      { day: '2026-03-21', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 50 },
    ]);
    const before = (await a.call('GET', `/anomalies/${computeId}`)).body;
    for (let i = 0; i < 2; i++) {
      const r = await a.call('POST', '/anomalies/detect');
      expect(r.status, r.text).toBe(200);
      expect(r.body.anomalies.map((x: Record<string, any>) => x.anomaly_id)).toEqual([computeId]);
    }
    const list = (await a.call('GET', '/anomalies')).body.items as Record<string, any>[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ anomaly_id: computeId, start_day: '2026-03-20', last_seen_day: '2026-03-21' });
    expect(list[0]!.days.map((d: Record<string, any>) => d.day)).toEqual(['2026-03-20', '2026-03-21']);
    expect(list[0]!.impact_amount).toBeGreaterThan(before.impact_amount);
  });

  it('an anomaly rule fires once per anomaly across runs; its evaluation runs the detector', async () => {
    const ch = await a.call('POST', '/channels', { channel_type: 'webhook', name: 'FinOps', webhook_url: hook.url('/anomaly') });
    expect(ch.status, ch.text).toBe(201);
    const channel = ch.body.channel_id as string;
    const pct = await a.call('POST', '/rules', { name: 'Spend spikes', rule_type: 'anomaly_percent_change', conditions: { percent_threshold: 50 }, notify_channel_ids: [channel], cooldown_minutes: 0 });
    expect(pct.status, pct.text).toBe(201);
    expect(pct.body).toMatchObject({ rule_category: 'cost', conditions: { percent_threshold: 50, direction: 'up' } });
    const sd = await a.call('POST', '/rules', { name: 'Robust z', rule_type: 'anomaly_std_deviation', conditions: { std_threshold: 4 }, notify_channel_ids: [channel], cooldown_minutes: 0 });
    expect(sd.status, sd.text).toBe(201);
    const test = await a.call('POST', `/rules/${pct.body.rule_id}/test`);
    expect(test.body, test.text).toMatchObject({ would_trigger: true, notification_sent: false });
    expect(test.body.trigger_reason).toContain('Compute Engine');
    const first = await root({ alert_types: ['anomaly_percent_change', 'anomaly_std_deviation'] });
    expect(first.status).toBe(200);
    expect(first.body.alerts_triggered, JSON.stringify(first.body)).toBe(2);
    expect(first.body.errors).toBe(0);
    const second = await root({ alert_types: ['anomaly_percent_change', 'anomaly_std_deviation'] });
    expect(second.body.alerts_triggered, JSON.stringify(second.body)).toBe(0);
    const got = hook.got.filter((g) => g.path === '/anomaly').map((g) => JSON.parse(g.body) as Record<string, any>);
    expect(got).toHaveLength(2);
    expect(got.map((g) => g.data.anomaly_id)).toEqual([computeId, computeId]);
    expect(got[0]!.data.contributors[0].sku).toBe('SKU-GPU');
    expect((await a.call('GET', '/anomalies')).body.items).toHaveLength(1);
  });

  it('lifecycle: open → acknowledged → resolved (repeats answer unchanged; a step out of order is 409)', async () => {
    const ack = await a.call('POST', `/anomalies/${computeId}/acknowledge`);
    expect(ack.status, ack.text).toBe(200);
    expect(ack.body).toMatchObject({ status: 'acknowledged' });
    expect(ack.body.acknowledged_by).toBeTruthy();
    const again = await a.call('POST', `/anomalies/${computeId}/acknowledge`);
    expect(again.body).toMatchObject({ status: 'acknowledged', acknowledged_at: ack.body.acknowledged_at });
    expect((await a.call('GET', '/anomalies?status=acknowledged')).body.items).toHaveLength(1);
    expect((await a.call('GET', '/anomalies?status=open')).body.items).toHaveLength(0);
    const res = await a.call('POST', `/anomalies/${computeId}/resolve`);
    expect(res.body).toMatchObject({ status: 'resolved', acknowledged_at: ack.body.acknowledged_at });
    expect((await a.call('POST', `/anomalies/${computeId}/acknowledge`)).status).toBe(409);
    const ign = await a.call('POST', `/anomalies/${computeId}/ignore`, { reason: 'batch job', feedback: 'expected' });
    expect(ign.status).toBe(409);
    expect((await a.call('GET', '/anomalies/nope')).status).toBe(404);
  });

  it('ignore with a reason and feedback: an ignored anomaly no longer fires, and detection keeps it ignored', async () => {
    // A runaway model: gpt-4o-mini at 20x on Sunday.
    a.time.set('2026-03-22T22:00:00Z');
    await insertLedger(a.deps, ORG, TZ, [{ day: '2026-03-22', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 1000 }]);
    const d = await a.call('POST', '/anomalies/detect');
    const mini = (d.body.anomalies as Record<string, any>[]).find((x) => x.series.model === 'gpt-4o-mini');
    expect(mini, JSON.stringify(d.body)).toMatchObject({ series: { key: 'OpenAI|OpenAI API|gpt-4o-mini', cost_category: 'llm' }, start_day: '2026-03-22', status: 'open' });
    const ign = await a.call('POST', `/anomalies/${mini!.anomaly_id}/ignore`, { reason: 'load test of the new assistant', feedback: 'expected' });
    expect(ign.status, ign.text).toBe(200);
    expect(ign.body).toMatchObject({ status: 'ignored', ignore_reason: 'load test of the new assistant', feedback: 'expected' });
    const run = await root({ alert_types: ['anomaly_percent_change'] });
    expect(run.body.alerts_triggered, JSON.stringify(run.body)).toBe(0);
    const again = await a.call('POST', '/anomalies/detect');
    expect((again.body.anomalies as Record<string, any>[]).find((x) => x.anomaly_id === mini!.anomaly_id)).toMatchObject({ status: 'ignored', feedback: 'expected' });
  });

  it('a resolved anomaly that goes on to a later day is open again (one record), and a rerun of the same days leaves it', async () => {
    expect((await a.call('GET', `/anomalies/${computeId}`)).body).toMatchObject({ status: 'resolved', last_seen_day: '2026-03-21' });
    // Monday 23 March: the GPUs are back at 5x.
    a.time.set('2026-03-23T22:00:00Z');
    await insertLedger(a.deps, ORG, TZ, [
      { day: '2026-03-22', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 350 },
      { day: '2026-03-22', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 750 },
      { day: '2026-03-23', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 700 },
      { day: '2026-03-23', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1500 },
    ]);
    const d = await a.call('POST', '/anomalies/detect');
    expect(d.status, d.text).toBe(200);
    const after = (await a.call('GET', `/anomalies/${computeId}`)).body;
    expect(after, JSON.stringify(d.body.anomalies)).toMatchObject({ anomaly_id: computeId, status: 'open', resolved_at: null, resolved_by: null, start_day: '2026-03-20', last_seen_day: '2026-03-23' });
    expect(after.acknowledged_at).not.toBeNull();
    await a.call('POST', `/anomalies/${computeId}/resolve`);
    await a.call('POST', '/anomalies/detect');
    expect((await a.call('GET', `/anomalies/${computeId}`)).body).toMatchObject({ status: 'resolved', last_seen_day: '2026-03-23' });
  });

  it('bad input is 422 naming the field', async () => {
    for (const [method, path, body, field] of [
      ['GET', '/anomalies?status=bogus', undefined, 'status'],
      ['GET', '/anomalies?days=0', undefined, 'days'],
      ['GET', '/anomalies?days=91', undefined, 'days'],
      ['POST', `/anomalies/${computeId}/ignore`, { reason: 'x', feedback: 'meh' }, 'feedback'],
      ['POST', `/anomalies/${computeId}/ignore`, { feedback: 'expected' }, 'reason'],
      ['POST', `/anomalies/${computeId}/ignore`, { reason: 'x', feedback: 'expected', extra: 1 }, 'extra'],
      ['POST', '/rules', { name: 'Too loose', rule_type: 'anomaly_percent_change', conditions: { percent_threshold: 10 }, notify_channel_ids: ['x'] }, 'conditions.percent_threshold'],
      ['POST', '/rules', { name: 'Too loose', rule_type: 'anomaly_std_deviation', conditions: { std_threshold: 1 }, notify_channel_ids: ['x'] }, 'conditions.std_threshold'],
    ] as const) {
      const r = await a.call(method, path, body);
      expect(r.status, `${path}: ${r.text}`).toBe(422);
      expect(r.text).toContain(field);
    }
  });
});
