import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { alertsApp } from './support/app.js';

const channels = (a: Awaited<ReturnType<typeof alertsApp>>) => a.deps.warehouse.query({
  sql: `SELECT channel_id, name, is_default FROM ${a.deps.warehouse.table('organizations', 'org_notification_channels')} WHERE org_slug = @org AND channel_type != 'lock' ORDER BY channel_id`, params: { org: a.org },
});

describe('channel writes under faults', () => {
  it('create (the tenant\'s first write: lock row, MERGE, audit): at every call, before or after, one channel or none, never 500; a lost MERGE answer is read back as 201', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('fault_chan', { overrides: { warehouse: faulty } });
    const seen: string[] = [];
    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= 7; n++) {
        faulty.armAt(n, mode);
        const res = await a.call('POST', '/channels', { channel_type: 'webhook', name: `W${mode}${n}`, webhook_url: 'https://hooks.example.com/x', is_default: true });
        const call = faulty.log[n - 1] ?? '-';
        faulty.heal();
        const rows = await channels(a);
        seen.push(`${mode}@${n} ${call}: ${res.status} rows=${rows.length}`);
        expect(res.status === 201 ? rows.length === 1 && rows[0]!.name === `W${mode}${n}` : rows.length === 0 && res.status === 503, seen.join('\n')).toBe(true);
        for (const r of rows) expect((await a.call('DELETE', `/channels/${r.channel_id}`)).status).toBe(204);
      }
    }
    expect(seen.some((s) => s.startsWith('after') && s.includes('execute') && s.includes(': 201')), seen.join('\n')).toBe(true);
  }, 60_000);

  it('update: at every call, the old channel or the new one, and one default of the type either way', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const a = await alertsApp('fault_upd', { overrides: { warehouse: faulty } });
    const first = (await a.call('POST', '/channels', { channel_type: 'email', name: 'A', email_recipients: ['a@b.co'], is_default: true })).body.channel_id as string;
    const second = (await a.call('POST', '/channels', { channel_type: 'email', name: 'B', email_recipients: ['c@d.co'] })).body.channel_id as string;
    for (const mode of ['before', 'after'] as const) {
      for (let n = 1; n <= 6; n++) {
        const target = n % 2 ? second : first;
        a.time.advance(1000);
        faulty.armAt(n, mode);
        const res = await a.call('PUT', `/channels/${target}`, { is_default: true, name: `${mode}${n}` });
        faulty.heal();
        const rows = await channels(a);
        expect(rows.filter((r) => r.is_default), JSON.stringify({ mode, n, status: res.status, rows })).toHaveLength(1);
        const row = rows.find((r) => r.channel_id === target)!;
        if (res.status === 200) expect([row.name, row.is_default]).toEqual([`${mode}${n}`, true]);
        else expect(res.status).toBe(503);
      }
    }
  }, 60_000);
});
