import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { daysFrom, insertLedger, wobble, type LedgerRow } from './support/ledger.js';
import { httpReceiver } from './support/receivers.js';

/**
 * Anomaly rules and digests scoped to a hierarchy entity watch that subtree's own series. Two
 * teams run Compute Engine: TEAM-SMALL about 100 USD a day, TEAM-BIG about 2,000. On Thursday 19
 * March TEAM-SMALL's spend is 2.5x: +150 USD is +150 % for the team, but +7 % of the org's Compute
 * Engine, so only a detection of the team's subtree sees it.
 */
const ORG = 'scoped_co';
const TZ = 'America/New_York';
const SMALL = { id: 'TEAM-SMALL', path: '/DEPT-ENG/TEAM-SMALL' };
const BIG = { id: 'TEAM-BIG', path: '/DEPT-ENG/TEAM-BIG' };
let a: AlertsApp;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
async function root(body: Record<string, unknown> = {}) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG, ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}

beforeAll(async () => {
  hook = await httpReceiver();
  a = await alertsApp(ORG, { onboardExtra: { default_currency: 'USD', default_timezone: TZ }, now: '2026-03-20T03:10:00Z' });
  const rows: LedgerRow[] = [];
  for (const day of daysFrom('2026-01-09', '2026-03-19')) {
    const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()) ? 0.7 : 1;
    rows.push({ day, provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 100 * weekend * wobble(day, 'small') * (day === '2026-03-19' ? 2.5 : 1), entity: SMALL });
    rows.push({ day, provider: 'Google Cloud', service: 'Compute Engine', sku: 'SKU-N2', cost: 2000 * weekend * wobble(day, 'big'), entity: BIG });
  }
  await insertLedger(a.deps, ORG, TZ, rows);
}, 120_000);
afterAll(async () => { await hook.close(); });

describe('anomalies scoped to a hierarchy entity', () => {
  it('the org-wide detection sees nothing; a rule on the team fires once, on the team\'s record', async () => {
    const org = await a.call('POST', '/anomalies/detect');
    expect(org.status, org.text).toBe(200);
    expect(org.body.anomalies).toEqual([]);
    const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Team', webhook_url: hook.url('/team') })).body.channel_id;
    const rule = await a.call('POST', '/rules', { name: 'Team spikes', rule_type: 'anomaly_percent_change', conditions: { percent_threshold: 50 }, hierarchy_entity_id: SMALL.id, notify_channel_ids: [channel], cooldown_minutes: 0 });
    expect(rule.status, rule.text).toBe(201);
    const first = await root({ alert_types: ['anomaly_percent_change'] });
    expect(first.body.alerts_triggered, JSON.stringify(first.body)).toBe(1);
    expect((await root({ alert_types: ['anomaly_percent_change'] })).body.alerts_triggered).toBe(0);
    const got = hook.got.filter((g) => g.path === '/team').map((g) => JSON.parse(g.body).data as Record<string, any>);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ hierarchy_entity_id: 'TEAM-SMALL', series: 'Google Cloud|Compute Engine|', start_day: '2026-03-19' });
    const scoped = (await a.call('GET', `/anomalies?hierarchy_entity_id=${SMALL.id}`)).body.items as Record<string, any>[];
    expect(scoped.map((x) => [x.hierarchy_entity_id, x.series.service, x.direction])).toEqual([['TEAM-SMALL', 'Compute Engine', 'up']]);
    expect(scoped[0]!.percent_change).toBeGreaterThan(100);
    expect((await a.call('GET', `/anomalies?hierarchy_entity_id=${BIG.id}`)).body.items).toEqual([]);
  });

  it('a digest of the team lists the team\'s anomaly; the org\'s digest does not', async () => {
    const channel = (await a.call('GET', '/channels')).body[0].channel_id;
    const team = (await a.call('POST', '/summaries', { name: 'Team digest', summary_type: 'daily', notify_channel_ids: [channel], include_sections: ['cost_summary', 'anomalies'], hierarchy_entity_id: SMALL.id })).body;
    const org = (await a.call('POST', '/summaries', { name: 'Org digest', summary_type: 'daily', notify_channel_ids: [channel], include_sections: ['cost_summary', 'anomalies'] })).body;
    // Friday 20 March, 09:00 in New York: yesterday is the 19th.
    a.time.set('2026-03-20T13:00:00Z');
    const section = async (id: string) => ((await a.call('POST', `/summaries/${id}/preview`)).body.preview.sections as { key: string; data: { hierarchy_entity_id?: string; service: string }[] }[]).find((x) => x.key === 'anomalies')!.data;
    expect((await section(team.summary_id)).map((x) => x.service)).toEqual(['Compute Engine']);
    expect(await section(org.summary_id)).toEqual([]);
  });
});
