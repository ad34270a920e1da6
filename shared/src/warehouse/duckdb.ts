import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { duckTypes, duckdbColumnType, fromDuckValue, portValueConverter, toDuckValue } from './duckdb-types.js';
import type { RetryPolicy } from './bigquery.js';
import { ConcurrentDml, defaultConflictRetry, retryConflicts } from './duckdb-concurrent.js';
import { assertIdentifier, WarehouseUnavailableError, type ColumnarResult, type DatasetLayout, type FieldSchema, type Query, type Row, type TableSpec, type Warehouse } from './port.js';
import { rewriteParams } from './sql-params.js';

export interface DuckDbOptions {
  /** Open connections; a statement waits for a free one. Default 4, or 16 with `concurrentDml`. */
  poolSize?: number;
  /**
   * TEST-ONLY (race tests). Mutating DML is not queued per table: every INSERT/UPDATE/DELETE/MERGE
   * runs at once on its own connection in its own transaction, and two statements that change
   * rows of one table conflict as on BigQuery (see duckdb-concurrent.ts). Conflicts surface as
   * BigQuery's "Could not serialize access" and are retried as the BigQuery adapter retries them.
   * Code that is only correct because of the default queue fails here.
   */
  concurrentDml?: boolean;
  /**
   * TEST-ONLY, with `concurrentDml`: each statement's transaction stays open this long before
   * COMMIT (its writes uncommitted meanwhile), so racing statements really overlap. Default 5.
   */
  dmlHoldMs?: number;
  /** With `concurrentDml`: reruns of a statement that lost a write-write conflict (the BigQuery adapter's shape). */
  retry?: RetryPolicy;
}

/**
 * Embedded default: a BigQuery dataset is a DuckDB schema. DuckDB is forgiving where BigQuery is
 * not (it has transactions, constraints, cheap round-trips); the adapter adds none of that on
 * purpose, so code that works here does not lean on it. By default it queues mutating DML per
 * table, which keeps ordinary tests deterministic but also resolves races before they can
 * happen; race tests open it with `concurrentDml` instead.
 */
export class DuckDbWarehouse implements Warehouse {
  readonly kind = 'duckdb';
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];
  private readonly tableLocks = new Map<string, Promise<unknown>>();
  private readonly concurrent: ConcurrentDml | undefined;
  private readonly retry: RetryPolicy;

  /** The database file as opened: if it disappears or is replaced, every call fails (see checkFile). */
  private readonly file?: { path: string; ino: number };

  private constructor(private readonly instance: DuckDBInstance, connections: DuckDBConnection[], options: DuckDbOptions, path: string) {
    this.idle.push(...connections);
    if (path !== ':memory:') this.file = { path, ino: statSync(path).ino };
    this.concurrent = options.concurrentDml ? new ConcurrentDml({ holdMs: options.dmlHoldMs ?? 5 }) : undefined;
    this.retry = options.retry ?? defaultConflictRetry;
  }

  /** `path` is a file (its folder is created) or `:memory:`. */
  static async open(path: string, options: DuckDbOptions = {}): Promise<DuckDbWarehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path);
    const poolSize = options.poolSize ?? (options.concurrentDml ? 16 : 4);
    const connections = await Promise.all(Array.from({ length: poolSize }, () => instance.connect()));
    await Promise.all(connections.map((c) => defineBigQueryFunctions(c)));
    if (options.concurrentDml) await ConcurrentDml.prepare(connections[0]!);
    return new DuckDbWarehouse(instance, connections, options, path);
  }

  table(dataset: string, table: string): string {
    return `"${assertIdentifier(dataset, 'dataset')}"."${assertIdentifier(table, 'table')}"`;
  }

  async ping(): Promise<void> {
    await this.run('SELECT 1');
  }

  async createDataset(dataset: string): Promise<boolean> {
    return this.createOnce(`CREATE SCHEMA "${assertIdentifier(dataset, 'dataset')}"`);
  }

  async dropDataset(dataset: string): Promise<void> {
    await this.run(`DROP SCHEMA IF EXISTS "${assertIdentifier(dataset, 'dataset')}" CASCADE`);
  }

  async describeDataset(dataset: string): Promise<DatasetLayout> {
    const rows = await this.rows(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $d ORDER BY table_name, ordinal_position`,
      { d: dataset },
    );
    const layout: DatasetLayout = new Map();
    for (const r of rows) {
      const t = String(r.table_name);
      if (!layout.has(t)) layout.set(t, []);
      layout.get(t)!.push(String(r.column_name));
    }
    return layout;
  }

  async createTable(dataset: string, spec: TableSpec): Promise<boolean> {
    const cols = spec.fields.map((f) => `"${assertIdentifier(f.name, 'column')}" ${duckdbColumnType(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`);
    return this.createOnce(`CREATE TABLE ${this.table(dataset, spec.name)} (${cols.join(', ')})`);
  }

  /**
   * Like BigQuery's insert-or-409: the engine decides who created it, so two racing creators get
   * one true and one false (a check-then-create would give both true).
   */
  private async createOnce(ddl: string): Promise<boolean> {
    try {
      await this.run(ddl);
      return true;
    } catch (err) {
      if (/already exists|write-write conflict|conflict on catalog/i.test((err as Error).message)) return false;
      throw err;
    }
  }

  async dropTable(dataset: string, table: string): Promise<void> {
    await this.run(`DROP TABLE IF EXISTS ${this.table(dataset, table)}`);
  }

  async addColumns(dataset: string, table: string, fields: FieldSchema[]): Promise<void> {
    const ref = this.table(dataset, table);
    // DuckDB takes one ADD COLUMN per statement; still one round-trip as far as callers count.
    for (const f of fields) {
      await this.run(`ALTER TABLE ${ref} ADD COLUMN IF NOT EXISTS "${assertIdentifier(f.name, 'column')}" ${duckdbColumnType(f)}`);
    }
  }

  async query(q: Query): Promise<Row[]> {
    const { sql, values, types } = this.translate(q);
    return this.withConnection(async (c) => {
      const reader = await c.runAndReadAll(sql, values, types);
      const columnTypes = reader.columnTypes();
      const names = reader.columnNames();
      return reader.convertRows(portValueConverter).map((row) => Object.fromEntries(names.map((n, i) => [n, fromDuckValue(row[i], columnTypes[i]!)])));
    });
  }

  /**
   * DuckDB writes the result as Parquet (its COPY streams, so a large result never sits in
   * memory as rows) to a private temporary file, which is read back and removed.
   */
  async queryColumnar(q: Query): Promise<ColumnarResult> {
    const { sql, values, types } = this.translate(q);
    const dir = mkdtempSync(join(tmpdir(), 'ca-duck-'));
    const file = join(dir, 'result.parquet');
    try {
      await this.withConnection((c) => c.run(`COPY (${sql}) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`, values, types));
      return { format: 'parquet', data: readFileSync(file) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async loadColumnar(dataset: string, table: string, rows: ColumnarResult): Promise<number> {
    if (rows.format !== 'parquet') throw new Error('The DuckDB adapter loads Parquet');
    const dir = mkdtempSync(join(tmpdir(), 'ca-duck-'));
    const file = join(dir, 'load.parquet');
    try {
      writeFileSync(file, rows.data);
      return await this.withConnection(async (c) => (await c.run(`INSERT INTO ${this.table(dataset, table)} BY NAME SELECT * FROM read_parquet('${file.replace(/'/g, "''")}')`)).rowsChanged);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async execute(q: Query): Promise<{ affectedRows: number }> {
    const { sql, values, types } = this.translate(q);
    const target = mutatedTable(sql);
    if (this.concurrent) {
      const concurrent = this.concurrent;
      const attempt = async () => ({ affectedRows: await concurrent.run((fn) => this.withConnection(fn), sql, values, types) });
      return retryConflicts(this.retry, target ?? insertTarget(sql), attempt);
    }
    const run = () => this.withConnection(async (c) => ({ affectedRows: (await c.run(sql, values, types)).rowsChanged }));
    return target ? this.serialised(target, run) : run();
  }

  async close(): Promise<void> {
    for (const c of this.idle) c.closeSync();
    this.instance.closeSync();
  }

  private translate(q: Query) {
    const { sql, names } = rewriteParams(bigQueryToDuckDb(q.sql), (n) => `$${n}`);
    const params = q.params ?? {};
    const values = Object.fromEntries([...new Set(names)].map((n) => {
      if (!(n in params)) throw new Error(`Query parameter @${n} has no value`);
      return [n, toDuckValue(params[n]!, q.types?.[n])];
    }));
    const used = q.types ? Object.fromEntries(Object.entries(q.types).filter(([k]) => names.includes(k))) : undefined;
    return { sql, values, types: duckTypes(used) };
  }

  private async rows(sql: string, values: Record<string, string>): Promise<Row[]> {
    return this.withConnection(async (c) => (await c.runAndReadAll(sql, values)).getRowObjectsJS() as Row[]);
  }

  private async run(sql: string): Promise<void> {
    await this.withConnection((c) => c.run(sql));
  }

  /**
   * DuckDB keeps writing to a file that was deleted under it (the open handle survives), and the
   * next start would find an empty database: a silent fresh start with every org gone. A file
   * that is missing or replaced is an error on every call instead (one stat, microseconds).
   */
  private checkFile(): void {
    if (!this.file) return;
    let ino: number | undefined;
    try { ino = statSync(this.file.path).ino; } catch { ino = undefined; }
    if (ino !== this.file.ino) {
      throw new WarehouseUnavailableError(`The DuckDB file ${this.file.path} was ${ino === undefined ? 'deleted' : 'replaced'} while in use; restart the gateway (data written since is not in any file)`);
    }
  }

  private async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    this.checkFile();
    const c = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(c);
    } finally {
      const next = this.waiting.shift();
      if (next) next(c);
      else this.idle.push(c);
    }
  }

  /** Default mode: UPDATE/DELETE/MERGE of one table run one after another, so none can conflict. */
  private serialised<T>(table: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tableLocks.get(table) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    this.tableLocks.set(table, next.catch(() => undefined));
    return next;
  }
}

/**
 * The few BigQuery constructs the shared SQL uses that DuckDB spells differently:
 * `x IN UNNEST(@list)` → `x IN (SELECT UNNEST(@list))`; `CAST(x AS FLOAT64)` → `CAST(x AS DOUBLE)`;
 * a raw string `r'...'` → `'...'`; a repeated column's elements `FROM UNNEST(Tags) AS t` → `FROM
 * (SELECT UNNEST(Tags) AS t) AS t_u` (DuckDB names the element column, not a table, so `t.Key`
 * is the struct's field as in BigQuery).
 * Functions DuckDB lacks are defined under BigQuery's names instead (BIGQUERY_MACROS).
 */
export function bigQueryToDuckDb(sql: string): string {
  return sql
    .replace(/\bIN\s+UNNEST\s*\(\s*(@[A-Za-z_][A-Za-z0-9_]*)\s*\)/gi, 'IN (SELECT UNNEST($1))')
    .replace(/\bFROM\s+UNNEST\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)/gi, 'FROM (SELECT UNNEST($1) AS $2) AS $2_u')
    // A cast target only (DuckDB has no FLOAT64 type name; INT64 and STRING it knows).
    .replace(/\bAS\s+FLOAT64\b/gi, 'AS DOUBLE')
    // A raw string r'...': DuckDB's plain strings already keep backslashes as they are.
    .replace(/(^|[\s(,=])r'/g, "$1'");
}

/**
 * BigQuery functions the shared SQL uses that DuckDB lacks, defined under BigQuery's names on
 * each connection (temporary macros), so the same text runs on both engines and ZetaSQL checks
 * it as BigQuery: `UNIX_SECONDS(ts)` (whole seconds, rounded down), `TIMESTAMP_SECONDS(n)`,
 * `UNIX_MICROS(ts)`, `TIMESTAMP_MICROS(n)`, `DIV(a, b)` (integer division truncating toward zero, as
 * BigQuery's).
 */
export const BIGQUERY_MACROS = [
  'CREATE OR REPLACE TEMP MACRO unix_seconds(ts) AS CAST(floor(epoch(ts)) AS BIGINT)',
  'CREATE OR REPLACE TEMP MACRO timestamp_seconds(s) AS make_timestamp(CAST(s AS BIGINT) * 1000000)',
  'CREATE OR REPLACE TEMP MACRO div(a, b) AS CAST(trunc(a / b) AS BIGINT)',
  // Exact instants for keyset cursors (costs/views/rows.ts): microseconds, as BigQuery stores them.
  'CREATE OR REPLACE TEMP MACRO unix_micros(ts) AS epoch_us(ts)',
  'CREATE OR REPLACE TEMP MACRO timestamp_micros(n) AS make_timestamp(CAST(n AS BIGINT))',
  // The cells of a BigQuery export job (ledger/store.ts exportDataSelect), so its SELECT runs here too.
  'CREATE OR REPLACE TEMP MACRO regexp_contains(s, p) AS regexp_matches(s, p)',
  // Timestamps here are UTC wall time: only the zone 'UTC' is meant.
  'CREATE OR REPLACE TEMP MACRO format_timestamp(f, ts, tz) AS strftime(ts, f)',
  'CREATE OR REPLACE TEMP MACRO to_json_string(x) AS CAST(to_json(x) AS VARCHAR)',
] as const;

async function defineBigQueryFunctions(c: DuckDBConnection): Promise<void> {
  for (const ddl of BIGQUERY_MACROS) await c.run(ddl);
}

/** The table an UPDATE/DELETE/MERGE statement mutates (INSERTs need no queue). */
export function mutatedTable(sql: string): string | undefined {
  const m = /^\s*(?:UPDATE|DELETE\s+FROM|DELETE|MERGE\s+INTO|MERGE)\s+([^\s(]+)/i.exec(sql);
  return m?.[1];
}

function insertTarget(sql: string): string {
  return /^\s*INSERT\s+INTO\s+([^\s(]+)/i.exec(sql)?.[1] ?? '(unknown table)';
}
