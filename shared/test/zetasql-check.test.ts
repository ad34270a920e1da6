import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';
import type { TableSpec, Warehouse } from '../src/warehouse/port.js';
import { centralTables } from '../src/warehouse/schemas.js';
import { configTableSets } from './support/bq-catalog.js';
import { CHECK_PROJECT, toBigQuerySql } from './support/bq-sql.js';
import { tableSpecProblems } from './support/bq-table-spec.js';
import { isChecked } from './support/zetasql-warehouse.js';
import { checkMode } from './support/zetasql-mode.js';
import { expectRejections } from './support/zetasql-state.js';

/**
 * The ZetaSQL check itself: the warehouse every test opens is the checked one, a statement
 * BigQuery would accept passes and runs, and the kinds of mistake DuckDB forgives are refused.
 */
// Under ZETASQL_CHECK=off there is no check to prove: reported as skipped, as the run says loudly.
const off = checkMode() === 'off';
const profiles = () => centralTables().tables.find((t) => t.name === 'org_profiles')!;

let wh: Warehouse;
let ref: string;

beforeAll(async () => {
  if (off) return;
  wh = await DuckDbWarehouse.open(':memory:');
  await wh.createDataset('organizations');
  await wh.createTable('organizations', profiles());
  ref = wh.table('organizations', 'org_profiles');
});
afterAll(async () => wh?.close());

/** The statement must be refused by the analyzer and never reach DuckDB. */
async function refused(sql: string, params: Record<string, unknown>, message: RegExp, types?: Record<string, unknown>): Promise<void> {
  await expectRejections(() => expect(wh.query({ sql, params, ...(types ? { types } : {}) } as never)).rejects.toThrow(message));
}

describe.skipIf(off)('ZetaSQL check (BigQuery dialect)', () => {
  it('wraps every DuckDB warehouse a test opens', () => {
    expect(isChecked(wh)).toBe(true);
    expect(wh).toBeInstanceOf(DuckDbWarehouse);
  });

  it('passes and runs a BigQuery statement written against the DuckDB adapter', async () => {
    const n = await wh.execute({
      sql: `INSERT INTO ${ref} (org_slug, company_name, admin_email, org_dataset_id, status, created_at) VALUES (@org, @name, @email, CONCAT(@org, '_prod'), 'ACTIVE', @now)`,
      params: { org: 'acme', name: 'Acme', email: 'ops@acme.test', now: new Date('2026-01-01T00:00:00Z') },
    });
    expect(n.affectedRows).toBe(1);
    const rows = await wh.query({ sql: `SELECT org_slug FROM ${ref} WHERE org_slug IN UNNEST(@orgs) AND status != 'x@y'`, params: { orgs: ['acme', 'beta'] } });
    expect(rows).toEqual([{ org_slug: 'acme' }]);
  });

  it('refuses a misspelled column', async () => {
    await refused(`SELECT org_slugg FROM ${ref} WHERE org_slug = @org`, { org: 'acme' }, /Unrecognized name: org_slugg/);
  });

  it('refuses a DuckDB-only function', async () => {
    await refused(`SELECT epoch_ms(created_at) AS ms FROM ${ref} WHERE org_slug = @org`, { org: 'acme' }, /Function not found: epoch_ms/);
  });

  it('refuses a parameter whose BigQuery type does not fit', async () => {
    await refused(`SELECT org_slug FROM ${ref} WHERE created_at > @since`, { since: 5 }, /No matching signature for operator >/);
  });

  it('refuses a parameter the BigQuery adapter cannot send', async () => {
    await refused(`SELECT org_slug FROM ${ref} WHERE org_slug = @org`, { org: null }, /null parameter needs its type/);
  });

  it('refuses DML that BigQuery does not have or does not allow', async () => {
    await refused(`UPDATE ${ref} SET status = @s`, { s: 'ACTIVE' }, /UPDATE must have a WHERE clause/);
    await refused(`DELETE FROM ${ref} WHERE org_slug = @org THEN RETURN org_slug`, { org: 'acme' }, /THEN RETURN is not supported/);
  });

  it('follows columns a test adds, after analyzing the ALTER TABLE the BigQuery adapter would send', async () => {
    await wh.addColumns('organizations', 'org_profiles', [
      { name: 'note', type: 'STRING', mode: 'NULLABLE' },
      { name: 'labels', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'k', type: 'STRING' }, { name: 'v', type: 'STRING' }] },
    ]);
    const rows = await wh.query({ sql: `SELECT note, ARRAY_LENGTH(labels) AS n FROM ${ref} WHERE org_slug = @org`, params: { org: 'acme' } });
    expect(rows.map((r) => r.note)).toEqual([null]);
  });

  it('refuses a table the catalog does not have', async () => {
    await refused(`SELECT * FROM ${wh.table('organizations', 'org_profile')}`, {}, /Table not found/);
  });
});

describe('statement mapping', () => {
  const bq = (d: string, t: string) => `\`${CHECK_PROJECT}.${d}.${t}\``;

  it('maps the DuckDB adapter\'s table references to BigQuery\'s, and leaves literals alone', () => {
    const { sql, tables } = toBigQuerySql(`SELECT '"a"."b"' FROM "organizations"."org_profiles" p JOIN "3m_prod"."llm_subscriptions" s ON TRUE`, bq);
    expect(sql).toBe(`SELECT '"a"."b"' FROM \`${CHECK_PROJECT}.organizations.org_profiles\` p JOIN \`${CHECK_PROJECT}.3m_prod.llm_subscriptions\` s ON TRUE`);
    expect(tables).toEqual([{ dataset: 'organizations', table: 'org_profiles' }, { dataset: '3m_prod', table: 'llm_subscriptions' }]);
  });
});

describe.skipIf(off)('table specs', () => {
  const base: TableSpec = { name: 't', fields: [{ name: 'id', type: 'STRING', mode: 'REQUIRED' }, { name: 'at', type: 'TIMESTAMP' }, { name: 'price', type: 'FLOAT64' }, { name: 'tags', type: 'STRING', mode: 'REPEATED' }] };

  it('accepts every table in configs/', () => {
    const sets = [...configTableSets().values()];
    expect(sets.length).toBeGreaterThanOrEqual(2);
    for (const t of sets.flatMap((s) => s.tables)) expect(tableSpecProblems(t), t.name).toEqual([]);
  });

  it('refuses partitioning and clustering BigQuery cannot do', () => {
    expect(tableSpecProblems({ ...base, partitionField: 'id' })).toEqual(['partition field id: day partitioning needs a DATE, TIMESTAMP or DATETIME column, not STRING']);
    expect(tableSpecProblems({ ...base, clustering: ['price', 'tags'] })).toEqual([
      'clustering column price: BigQuery cannot cluster on FLOAT64',
      'clustering column tags: BigQuery cannot cluster on REPEATED STRING',
    ]);
    expect(tableSpecProblems({ ...base, fields: [...base.fields, { name: 'ID', type: 'STRING' }] })).toEqual(['column ID: duplicate (names are case-insensitive)']);
  });

  it('refuses the table at createTable, before DuckDB creates it', async () => {
    await expectRejections(() => expect(wh.createTable('organizations', { ...base, name: 'bad', partitionField: 'id' })).rejects.toThrow(/day partitioning needs/));
    expect((await wh.describeDataset('organizations')).has('bad')).toBe(false);
  });
});
