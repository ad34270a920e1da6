import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Warehouse } from '../../src/warehouse/port.js';

const CONFIGS = join(import.meta.dirname, '../../../configs');

/**
 * An independent engine for checking answers: a raw DuckDB (not the adapter, not the ZetaSQL
 * check) reading the ledger as Parquet exported through the port. Its SQL is DuckDB's own
 * (ICU time zones, ASOF joins on the ECB CSV), sharing no code with the Polars path.
 */
export async function referenceEngine(wh: Warehouse, dataset: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ca-costs-ref-'));
  const file = join(dir, 'ledger.parquet');
  const bytes = await wh.queryColumnar({ sql: `SELECT * FROM ${wh.table(dataset, 'cost_data_standard_1_2')}` });
  writeFileSync(file, bytes.data);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  await c.run(`CREATE VIEW ledger AS SELECT * FROM read_parquet('${file}')`);
  await c.run(`CREATE VIEW ecb AS SELECT * FROM read_csv('${join(CONFIGS, 'reference/ecb_eur_reference_rates.csv')}', header = true)`);
  await c.run(`CREATE VIEW rates AS
    SELECT date, currency, CAST(per_eur AS DOUBLE) AS per_eur FROM (UNPIVOT ecb ON USD, JPY, GBP, CHF, CAD, AUD, CNY, INR, SGD INTO NAME currency VALUE per_eur)
    UNION ALL SELECT date, 'EUR', 1.0 FROM ecb`);
  return {
    async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
      return (await c.runAndReadAll(sql)).getRowObjectsJS() as T[];
    },
    close() {
      c.closeSync();
      db.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


/** One statement on a fresh raw DuckDB (not the adapter): e.g. reading back an exported file. */
export async function rawDuck(sql: string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  try {
    return (await c.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    c.closeSync();
    db.closeSync();
  }
}
