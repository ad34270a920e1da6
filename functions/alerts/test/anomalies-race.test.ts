import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp } from './support/app.js';
import { baseLedger, insertLedger } from './support/ledger.js';

const TZ = 'America/New_York';

describe('anomaly detection under concurrent evaluation', () => {
  it('detections and process-all runs at once on the concurrent-DML warehouse: one record per anomaly, extended (never duplicated) the next day', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('anomaly_race', { overrides: { warehouse }, onboardExtra: { default_currency: 'USD', default_timezone: TZ }, now: '2026-03-20T15:00:00Z' });
    await insertLedger(a.deps, 'anomaly_race', TZ, [
      ...baseLedger('2026-01-09', '2026-03-20'),
      { day: '2026-03-20', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 1500, hour: 8 },
      { day: '2026-03-20', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 900, hour: 8 },
    ]);
    const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Race', webhook_url: 'http://127.0.0.1:9/none' })).body.channel_id;
    expect((await a.call('POST', '/rules', { name: 'Spikes', rule_type: 'anomaly_percent_change', conditions: {}, notify_channel_ids: [channel], cooldown_minutes: 0 })).status).toBe(201);
    const processAll = () => a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', {
      method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: 'anomaly_race', send_notifications: false }),
    })).then(async (r) => ({ status: r.status, body: await r.json() as Record<string, any> }));
    for (const day of ['2026-03-20T15:00:00Z', '2026-03-21T15:00:00Z']) {
      a.time.set(day);
      if (day.startsWith('2026-03-21')) {
        await insertLedger(a.deps, 'anomaly_race', TZ, [
          { day: '2026-03-21', provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-GPU', cost: 800, hour: 8 },
          { day: '2026-03-21', provider: 'OpenAI', service: 'OpenAI API', sku: 'gpt-4o-mini', model: 'gpt-4o-mini', category: 'llm', cost: 900, hour: 8 },
        ]);
      }
      const [d1, d2, d3, p1, p2] = await Promise.all([
        a.call('POST', '/anomalies/detect'), a.call('POST', '/anomalies/detect'), a.call('POST', '/anomalies/detect'), processAll(), processAll(),
      ]);
      for (const r of [d1, d2, d3]) expect(r.status, r.text).toBe(200);
      for (const r of [p1, p2]) {
        expect(r.status).toBe(200);
        expect(r.body.errors, JSON.stringify(r.body)).toBe(0);
      }
      // Two anomalies: each fired once over both runs, whichever evaluation recorded it.
      if (day.startsWith('2026-03-20')) expect(p1.body.alerts_triggered + p2.body.alerts_triggered, JSON.stringify([p1.body, p2.body])).toBe(2);
      else expect(p1.body.alerts_triggered + p2.body.alerts_triggered).toBe(0);
      const items = (await a.call('GET', '/anomalies')).body.items as Record<string, any>[];
      expect(items.map((i) => i.series.key).sort()).toEqual(['Google Cloud|Compute Engine|', 'OpenAI|OpenAI API|gpt-4o-mini']);
      for (const i of items) expect(i).toMatchObject({ start_day: '2026-03-20', last_seen_day: day.slice(0, 10) });
      expect(new Set([d1, d2, d3].flatMap((r) => r.body.anomalies.map((x: Record<string, any>) => x.anomaly_id)))).toEqual(new Set(items.map((i) => i.anomaly_id)));
    }
  }, 120_000);
});
