import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/app/create-deps.js';
import { insertRows } from '../src/warehouse/dml.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';
import type { TableSpec, Warehouse } from '../src/warehouse/port.js';

/**
 * One contract, every adapter. DuckDB always runs; BigQuery runs when BIGQUERY_TEST_PROJECT and
 * Google credentials are present (and is reported as skipped otherwise, never faked).
 */
const bqProject = process.env.BIGQUERY_TEST_PROJECT;
const hasGoogleCreds = Boolean(process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.CLOUDSDK_CONFIG || process.env.GOOGLE_CLOUD_PROJECT);

const adapters: { name: string; enabled: boolean; open: () => Promise<Warehouse> }[] = [
  { name: 'duckdb', enabled: true, open: () => DuckDbWarehouse.open(':memory:') },
  {
    name: 'bigquery',
    enabled: Boolean(bqProject && hasGoogleCreds),
    open: () => openWarehouse({ kind: 'bigquery', projectId: bqProject ?? '', location: process.env.BQ_LOCATION ?? 'US' }),
  },
];

const spec: TableSpec = {
  name: 'contract_rows',
  partitionField: 'created_at',
  clustering: ['org_slug'],
  fields: [
    { name: 'id', type: 'STRING', mode: 'REQUIRED' },
    { name: 'org_slug', type: 'STRING', mode: 'REQUIRED' },
    { name: 'count', type: 'INTEGER', mode: 'NULLABLE' },
    { name: 'price', type: 'FLOAT64', mode: 'NULLABLE' },
    { name: 'active', type: 'BOOLEAN', mode: 'NULLABLE' },
    { name: 'created_at', type: 'TIMESTAMP', mode: 'REQUIRED' },
    { name: 'day', type: 'DATE', mode: 'NULLABLE' },
    { name: 'secret', type: 'BYTES', mode: 'NULLABLE' },
    { name: 'meta', type: 'JSON', mode: 'NULLABLE' },
    { name: 'scopes', type: 'STRING', mode: 'REPEATED' },
  ],
};

/** Money and nested types: NUMERIC is DECIMAL(38,9) on both engines; Tags is the cost table's shape. */
const moneySpec: TableSpec = {
  name: 'contract_money',
  fields: [
    { name: 'id', type: 'STRING', mode: 'REQUIRED' },
    { name: 'amount', type: 'NUMERIC', mode: 'NULLABLE' },
    { name: 'precise', type: 'BIGNUMERIC', mode: 'NULLABLE' },
    { name: 'Tags', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'Key', type: 'STRING', mode: 'NULLABLE' }, { name: 'Value', type: 'STRING', mode: 'NULLABLE' }] },
    { name: 'meta', type: 'RECORD', mode: 'NULLABLE', fields: [{ name: 'a', type: 'STRING', mode: 'NULLABLE' }, { name: 'n', type: 'NUMERIC', mode: 'NULLABLE' }] },
    { name: 'at_time', type: 'TIME', mode: 'NULLABLE' },
    { name: 'seen', type: 'TIMESTAMP', mode: 'REPEATED' },
  ],
};

for (const adapter of adapters) {
  describe.skipIf(!adapter.enabled)(`warehouse contract: ${adapter.name}`, () => {
    let wh: Warehouse;
    const ds = `contract_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

    beforeAll(async () => {
      wh = await adapter.open();
    }, 120_000);
    afterAll(async () => {
      if (!wh) return;
      await wh.dropDataset(ds);
      await wh.close();
    }, 120_000);

    it('answers ping', async () => {
      await expect(wh.ping()).resolves.toBeUndefined();
    });

    it('describes an absent dataset as empty', async () => {
      expect((await wh.describeDataset(`${ds}_absent`)).size).toBe(0);
    });

    it('creates a dataset once and reports when it existed', async () => {
      expect(await wh.createDataset(ds)).toBe(true);
      expect(await wh.createDataset(ds)).toBe(false);
    });

    it('creates a table once and describes its columns in order', async () => {
      expect(await wh.createTable(ds, spec)).toBe(true);
      expect(await wh.createTable(ds, spec)).toBe(false);
      const layout = await wh.describeDataset(ds);
      expect(layout.get('contract_rows')).toEqual(spec.fields.map((f) => f.name));
    });

    it('round-trips every column type in the one row shape', async () => {
      const created = new Date('2026-01-02T03:04:05.678Z');
      const n = await insertRows(wh, ds, spec, [
        { id: 'a', org_slug: 'acme', count: 42, price: 1.25, active: true, created_at: created, day: '2026-01-02', secret: Buffer.from([0, 1, 255]), meta: JSON.stringify({ k: [1, 'two'] }), scopes: ['read', 'write'] },
        { id: 'b', org_slug: 'beta', created_at: created, scopes: [] },
      ]);
      expect(n).toBe(2);
      const rows = await wh.query({ sql: `SELECT * FROM ${wh.table(ds, 'contract_rows')} WHERE org_slug = @org`, params: { org: 'acme' } });
      expect(rows).toHaveLength(1);
      const r = rows[0]!;
      expect(r).toMatchObject({ id: 'a', org_slug: 'acme', count: 42, price: 1.25, active: true, created_at: created.toISOString(), day: '2026-01-02', meta: { k: [1, 'two'] }, scopes: ['read', 'write'] });
      expect(Buffer.isBuffer(r.secret) && [...(r.secret as Buffer)]).toEqual([0, 1, 255]);
      const [b] = await wh.query({ sql: `SELECT count, active, day, secret, meta, scopes FROM ${wh.table(ds, 'contract_rows')} WHERE id = @id`, params: { id: 'b' } });
      expect(b).toEqual({ count: null, active: null, day: null, secret: null, meta: null, scopes: [] });
    });

    it('binds typed nulls, arrays, timestamps and leaves @ in literals alone', async () => {
      const rows = await wh.query({
        sql: `SELECT id FROM ${wh.table(ds, 'contract_rows')} WHERE org_slug IN UNNEST(@orgs) AND created_at >= @since AND (@missing IS NULL OR id = @missing) AND 'a@b.test' = 'a@b.test' ORDER BY id`,
        params: { orgs: ['acme', 'beta'], since: new Date('2026-01-01T00:00:00Z'), missing: null },
        types: { missing: 'STRING' },
      });
      expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
    });

    it('reports rows affected by DML', async () => {
      const res = await wh.execute({
        sql: `UPDATE ${wh.table(ds, 'contract_rows')} SET count = @c WHERE org_slug = @org AND created_at >= @since`,
        params: { c: 7, org: 'beta', since: new Date('2026-01-01T00:00:00Z') },
      });
      expect(res.affectedRows).toBe(1);
      const none = await wh.execute({ sql: `DELETE FROM ${wh.table(ds, 'contract_rows')} WHERE id = @id`, params: { id: 'zzz' } });
      expect(none.affectedRows).toBe(0);
    });

    it('queues concurrent mutating DML on one table instead of failing', async () => {
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => wh.execute({
        sql: `UPDATE ${wh.table(ds, 'contract_rows')} SET count = @c WHERE id = @id`,
        params: { c: i, id: 'a' },
      })));
      expect(results.every((r) => r.affectedRows === 1)).toBe(true);
    });

    it('adds missing columns as nullable and never drops any', async () => {
      await wh.addColumns(ds, 'contract_rows', [{ name: 'note', type: 'STRING', mode: 'NULLABLE' }, { name: 'tags', type: 'STRING', mode: 'REPEATED' }]);
      await wh.addColumns(ds, 'contract_rows', [{ name: 'note', type: 'STRING', mode: 'NULLABLE' }]);
      const cols = (await wh.describeDataset(ds)).get('contract_rows')!;
      expect(cols.slice(-2)).toEqual(['note', 'tags']);
      expect(cols).toHaveLength(spec.fields.length + 2);
    });

    it('keeps money exact: 0.1 + 0.2 summed in SQL is 0.3, and a full DECIMAL(38,9) round-trips', async () => {
      expect(await wh.createTable(ds, moneySpec)).toBe(true);
      const max = '99999999999999999999999999999.999999999';
      const n = await insertRows(wh, ds, moneySpec, [
        { id: 'p1', amount: '0.1' },
        { id: 'p2', amount: 0.2 },
        { id: 'max', amount: max },
        { id: 'min', amount: '-0.000000001' },
      ]);
      expect(n).toBe(4);
      const ref = wh.table(ds, 'contract_money');
      const [sum] = await wh.query({ sql: `SELECT SUM(amount) AS total FROM ${ref} WHERE id IN UNNEST(@ids)`, params: { ids: ['p1', 'p2'] } });
      expect(sum).toEqual({ total: '0.3' });
      const [bound] = await wh.query({ sql: 'SELECT @a + @b AS total', params: { a: '0.1', b: '0.2' }, types: { a: 'NUMERIC', b: 'NUMERIC' } });
      expect(bound).toEqual({ total: '0.3' });
      const rows = await wh.query({ sql: `SELECT id, amount FROM ${ref} WHERE id IN UNNEST(@ids) ORDER BY id`, params: { ids: ['max', 'min'] } });
      expect(rows).toEqual([{ id: 'max', amount: max }, { id: 'min', amount: '-0.000000001' }]);
      const [hit] = await wh.query({ sql: `SELECT id FROM ${ref} WHERE amount = @x`, params: { x: max }, types: { x: 'NUMERIC' } });
      expect(hit).toEqual({ id: 'max' });
    });

    it('round-trips BIGNUMERIC, TIME, STRUCT, ARRAY<STRUCT> (Tags) and ARRAY<TIMESTAMP>', async () => {
      const precise = '12345678901234567890.123456789012345678';
      const seen = [new Date('2026-01-02T03:04:05.678Z'), new Date('2026-01-03T00:00:00Z')];
      await insertRows(wh, ds, moneySpec, [
        { id: 'nested', precise, Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: null }], meta: { a: 'x', n: '1.5' }, at_time: '03:04:05', seen },
        { id: 'empty', meta: null },
      ]);
      const ref = wh.table(ds, 'contract_money');
      const [row] = await wh.query({ sql: `SELECT precise, Tags, meta, at_time, seen FROM ${ref} WHERE id = @id`, params: { id: 'nested' } });
      expect(row).toEqual({
        precise,
        Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: null }],
        meta: { a: 'x', n: '1.5' },
        at_time: '03:04:05',
        seen: seen.map((d) => d.toISOString()),
      });
      const [empty] = await wh.query({ sql: `SELECT Tags, meta, seen FROM ${ref} WHERE id = @id`, params: { id: 'empty' } });
      expect(empty).toEqual({ Tags: [], meta: null, seen: [] });
      // ARRAY<TIMESTAMP> parameters arrive with their values (on BigQuery they used to go out empty).
      const matched = await wh.query({
        sql: `SELECT id FROM ${wh.table(ds, 'contract_rows')} WHERE created_at IN UNNEST(@ats) ORDER BY id`,
        params: { ats: [new Date('2026-01-02T03:04:05.678Z'), new Date(0)] },
        types: { ats: { array: 'TIMESTAMP' } },
      });
      expect(matched.map((r) => r.id)).toEqual(['a', 'b']);
    });

    it('drops a table and then the dataset', async () => {
      await wh.dropTable(ds, 'contract_rows');
      expect((await wh.describeDataset(ds)).has('contract_rows')).toBe(false);
      await wh.dropDataset(ds);
      expect(await wh.createDataset(ds)).toBe(true);
    });

    it('refuses identifiers that are not plain names', () => {
      expect(() => wh.table('bad-name; DROP', 't')).toThrow(/Invalid dataset name/);
      expect(() => wh.table(ds, 'x"y')).toThrow(/Invalid table name/);
    });
  });
}
