import type { DuckDBConnection } from '@duckdb/node-api';
import type { RetryPolicy } from './bigquery.js';
import { WarehouseUnavailableError } from './port.js';

/**
 * TEST-ONLY: the DuckDB adapter's concurrent-DML mode (`DuckDbWarehouse.open(path, { concurrentDml: true })`),
 * for race tests. Mutating DML is not queued: every statement runs at once on its own connection
 * in its own transaction, and conflicts surface as BigQuery's "Could not serialize access", which
 * the adapter retries as the BigQuery adapter does.
 *
 * DuckDB alone would not conflict where BigQuery does. Measured on @duckdb/node-api 1.5 (two
 * connections, two open transactions): an UPDATE of a row another transaction changed (uncommitted,
 * or committed after this one's snapshot) fails with "Conflict on update!", and DELETE vs DELETE
 * with "Conflict on tuple deletion!"; but UPDATEs of different columns of one row, a DELETE and an
 * UPDATE of one row, and UPDATEs that write the value already there, all commit without a
 * conflict (and INSERTs never conflict: two "insert if absent" both insert). BigQuery detects
 * conflicts per table (per partition when partitioned): two mutating statements that each
 * change rows of one table conflict whatever the rows, columns and values. So each UPDATE, DELETE
 * or MERGE with a WHEN MATCHED clause that changed rows also bumps its table's counter in a
 * hidden table, in the same transaction: DuckDB then sees two such statements on one table
 * as a write-write conflict, the way BigQuery would. INSERTs and insert-only MERGEs bump nothing,
 * as on BigQuery, so the phantom that the claim's lock row exists to prevent really happens here.
 */

const VERSIONS = '"_concurrent_dml"."table_versions"';

export interface ConcurrentDmlOptions {
  /** How long each statement's transaction stays open before COMMIT, so racing statements overlap. */
  holdMs: number;
}

type RunArgs = Parameters<DuckDBConnection['run']>;

export class ConcurrentDml {
  private readonly versionRows = new Map<string, Promise<void>>();

  constructor(private readonly options: ConcurrentDmlOptions) {}

  /** Creates the hidden counter table, in a schema of its own that no verb reads or lists. */
  static async prepare(c: DuckDBConnection): Promise<void> {
    await c.run(`CREATE SCHEMA IF NOT EXISTS "_concurrent_dml"; CREATE TABLE IF NOT EXISTS ${VERSIONS} (tbl VARCHAR, version BIGINT)`);
  }

  /** One DML statement in its own transaction: BEGIN; statement; bump; hold; COMMIT. Returns rows changed. */
  async run(connect: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>, sql: string, values: RunArgs[1], types: RunArgs[2]): Promise<number> {
    const table = bumpedTable(sql);
    if (table) await this.ensureVersionRow(connect, table);
    return connect(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const { rowsChanged } = await c.run(sql, values, types);
        if (table && rowsChanged > 0) await c.run(`UPDATE ${VERSIONS} SET version = version + 1 WHERE tbl = $t`, { t: table });
        if (this.options.holdMs > 0) await new Promise((r) => setTimeout(r, this.options.holdMs));
        await c.run('COMMIT');
        return rowsChanged;
      } catch (err) {
        // A failed statement leaves the transaction aborted; end it before the connection goes back to the pool.
        await c.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  /** Once per table, before any transaction bumps it (two concurrent first inserts would make two rows). */
  private ensureVersionRow(connect: <T>(fn: (c: DuckDBConnection) => Promise<T>) => Promise<T>, table: string): Promise<void> {
    let ready = this.versionRows.get(table);
    if (!ready) {
      ready = connect(async (c) => {
        await c.run(`INSERT INTO ${VERSIONS} SELECT $t, 0 WHERE NOT EXISTS (SELECT 1 FROM ${VERSIONS} WHERE tbl = $t)`, { t: table });
      });
      this.versionRows.set(table, ready);
      ready.catch(() => this.versionRows.delete(table));
    }
    return ready;
  }
}

/** The table whose counter a statement bumps: the target of UPDATE, DELETE, or MERGE with a WHEN MATCHED (or NOT MATCHED BY SOURCE) clause. */
export function bumpedTable(sql: string): string | undefined {
  const m = /^\s*(UPDATE|DELETE\s+FROM|DELETE|MERGE\s+INTO|MERGE)\s+([^\s(]+)/i.exec(sql);
  if (!m) return undefined;
  if (/^MERGE/i.test(m[1]!) && !/\bWHEN\s+(MATCHED|NOT\s+MATCHED\s+BY\s+SOURCE)\b/i.test(sql)) return undefined;
  return m[2];
}

/**
 * DuckDB's write-write conflicts, spelled as BigQuery spells its own ("Could not serialize access
 * to table ... due to concurrent update"), so `isSerializationConflict` in bigquery.ts recognises
 * both. Anything else is not a conflict.
 */
export function asSerializationConflict(err: unknown, table: string): Error | undefined {
  const message = err instanceof Error ? err.message : String(err);
  if (!/Conflict on (update|tuple deletion)|write-write conflict/i.test(message)) return undefined;
  return new Error(`Could not serialize access to table ${table} due to concurrent update (DuckDB: ${message})`, { cause: err });
}

/**
 * A local statement takes milliseconds, not BigQuery's seconds, so the backoff starts lower; the
 * attempts let ten statements racing on one table all get through (shared/test/duckdb-races.test.ts).
 */
export const defaultConflictRetry: RetryPolicy = {
  attempts: 8,
  baseDelayMs: 10,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * A statement that lost a write-write conflict changed nothing (DuckDB rolled it back), so it is
 * rerun on a fresh snapshot, as the BigQuery adapter reruns "could not serialize access": bounded
 * attempts, jittered exponential backoff, then WarehouseUnavailableError (503 with Retry-After).
 */
export async function retryConflicts<T>(policy: RetryPolicy, table: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const conflict = asSerializationConflict(err, table);
      if (!conflict) throw err;
      if (attempt >= policy.attempts) {
        throw new WarehouseUnavailableError(`DuckDB still conflicting after ${attempt} attempts: ${conflict.message}`, { cause: conflict });
      }
      const delay = policy.baseDelayMs * 2 ** (attempt - 1);
      await policy.sleep(delay / 2 + Math.random() * (delay / 2));
    }
  }
}
