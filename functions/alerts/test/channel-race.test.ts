import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { alertsApp } from './support/app.js';

describe('one default channel per type under concurrency', () => {
  it('8 concurrent creates of a default e-mail channel (the tenant\'s first writes) leave exactly one default', async () => {
    const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 });
    const a = await alertsApp('race_co', { overrides: { warehouse } });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => a.call('POST', '/channels', { channel_type: 'email', name: `E${i}`, email_recipients: [`e${i}@example.com`], is_default: true })));
    expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
    const list = (await a.call('GET', '/channels')).body as unknown as { is_default: boolean }[];
    expect(list).toHaveLength(8);
    expect(list.filter((c) => c.is_default)).toHaveLength(1);
    // PUTs racing to become the default: still one.
    const ids = (list as unknown as { channel_id: string }[]).map((c) => c.channel_id);
    const puts = await Promise.all(ids.map((id) => a.call('PUT', `/channels/${id}`, { is_default: true })));
    expect(puts.map((r) => r.status)).toEqual(Array(8).fill(200));
    const after = (await a.call('GET', '/channels')).body as unknown as { is_default: boolean }[];
    expect(after.filter((c) => c.is_default)).toHaveLength(1);
  }, 60_000);
});
