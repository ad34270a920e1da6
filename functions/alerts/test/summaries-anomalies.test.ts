import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertsApp, type AlertsApp } from './support/app.js';
import { baseLedger, insertLedger } from './support/ledger.js';
import { httpReceiver } from './support/receivers.js';

/**
 * A daily digest's anomalies section: yesterday (Thursday 2026-03-19 in New York) Compute
 * Engine's GPU SKU ran at 5x. The preview lists it without recording it; send-now records it and
 * delivers it; once ignored, it leaves the digest.
 */
const ORG = 'digest_anom';
const TZ = 'America/New_York';
let a: AlertsApp;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let summaryId: string;

beforeAll(async () => {
  hook = await httpReceiver();
  a = await alertsApp(ORG, { onboardExtra: { default_currency: 'USD', default_timezone: TZ }, now: '2026-03-20T15:00:00Z' });
  await insertLedger(a.deps, ORG, TZ, [
    ...baseLedger('2026-01-09', '2026-03-19'),
    // On top of the usual day: the GPU SKU's extra hours.
    { day: '2026-03-19', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1200, hour: 14 },
  ]);
  const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Digest', webhook_url: hook.url('/digest') })).body.channel_id;
  const s = await a.call('POST', '/summaries', { name: 'Daily', summary_type: 'daily', notify_channel_ids: [channel], include_sections: ['cost_summary', 'anomalies'] });
  expect(s.status, s.text).toBe(201);
  summaryId = s.body.summary_id;
}, 120_000);
afterAll(async () => { await hook.close(); });

const section = (digest: { sections: { key: string; content: string; data: unknown }[] }) => digest.sections.find((x) => x.key === 'anomalies')!;

describe('a digest\'s anomalies', () => {
  it('preview: yesterday\'s spike with its contributor, not recorded', async () => {
    const r = await a.call('POST', `/summaries/${summaryId}/preview`);
    expect(r.status, r.text).toBe(200);
    const anomalies = section(r.body.preview);
    const rows = anomalies.data as { service: string; direction: string; peak_day: string; contributors: { sku: string }[]; status: string }[];
    expect(rows, JSON.stringify(anomalies)).toHaveLength(1);
    expect(rows[0]).toMatchObject({ service: 'Compute Engine', direction: 'up', peak_day: '2026-03-19', status: 'open' });
    expect(rows[0]!.contributors[0]!.sku).toBe('SKU-GPU');
    expect(anomalies.content).toMatch(/^Google Cloud Compute Engine: \+\$[\d,.]+ \(\+\d+(\.\d+)?%\) on 2026-03-19, open$/);
    expect((await a.call('GET', '/anomalies')).body.items).toEqual([]);
  });

  it('send-now records the anomaly and delivers it; ignored, it leaves the digest', async () => {
    const sent = await a.call('POST', `/summaries/${summaryId}/send-now`);
    expect(sent.body, sent.text).toMatchObject({ success: true, sent_to_channels: 1 });
    const got = JSON.parse(hook.got.at(-1)!.body) as { data: { sections: { key: string; data: { anomaly_id: string }[] }[] } };
    const delivered = got.data.sections.find((x) => x.key === 'anomalies')!.data;
    expect(delivered).toHaveLength(1);
    const list = (await a.call('GET', '/anomalies')).body.items as { anomaly_id: string }[];
    expect(list.map((x) => x.anomaly_id)).toEqual([delivered[0]!.anomaly_id]);
    expect((await a.call('POST', `/anomalies/${delivered[0]!.anomaly_id}/ignore`, { reason: 'GPU benchmark', feedback: 'expected' })).status).toBe(200);
    const after = await a.call('POST', `/summaries/${summaryId}/preview`);
    expect(section(after.body.preview)).toMatchObject({ data: [] });
    expect(section(after.body.preview).content).toMatch(/^none detected/);
  });
});
