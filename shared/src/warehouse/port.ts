/**
 * The warehouse port. Verbs talk to this interface only; the DuckDB adapter (embedded default)
 * and the BigQuery adapter (production) implement it. SQL is written once in the subset both
 * dialects share: named parameters as `@name`, tables through `table()`, no engine functions for
 * ids or clocks (the caller passes them as parameters, which also keeps tests deterministic).
 * Where BigQuery syntax has no DuckDB twin (`IN UNNEST(@list)`), the DuckDB adapter translates it.
 */

/** BigQuery JSON-schema column types (legacy and standard spellings). */
export type FieldType =
  | 'STRING' | 'BYTES' | 'INTEGER' | 'INT64' | 'FLOAT' | 'FLOAT64' | 'NUMERIC' | 'BIGNUMERIC'
  | 'BOOLEAN' | 'BOOL' | 'TIMESTAMP' | 'DATE' | 'TIME' | 'DATETIME' | 'JSON' | 'RECORD' | 'STRUCT';

export interface FieldSchema {
  name: string;
  type: FieldType;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  description?: string;
  fields?: FieldSchema[];
}

export interface TableSpec {
  name: string;
  fields: FieldSchema[];
  /** Day partitioning on this DATE or TIMESTAMP column (BigQuery only; DuckDB ignores it). */
  partitionField?: string;
  clustering?: string[];
  description?: string;
}

export type ScalarParamType =
  | 'STRING' | 'INT64' | 'FLOAT64' | 'NUMERIC' | 'BIGNUMERIC' | 'BOOL'
  | 'TIMESTAMP' | 'DATETIME' | 'DATE' | 'TIME' | 'BYTES' | 'JSON';
/** A struct's fields in declaration order (the order BigQuery's STRUCT type has). */
export type ParamType = ScalarParamType | { array: ParamType } | { struct: { readonly [field: string]: ParamType } };
/**
 * NUMERIC and BIGNUMERIC values are best given as decimal strings ('12.345'); a number is taken
 * at its shortest decimal spelling, and more fractional digits than the type holds are refused,
 * never rounded. DATETIME and TIME are civil strings ('2026-01-02T03:04:05.123456', '03:04:05');
 * a Date given for a DATETIME means its UTC wall time.
 */
export interface StructParamValue { readonly [field: string]: ParamValue }
export type ParamValue = string | number | boolean | Date | Uint8Array | null | readonly ParamValue[] | StructParamValue;

export interface Query {
  sql: string;
  params?: Record<string, ParamValue>;
  /** Needed where the value cannot tell its type: nulls, empty arrays, DATE and JSON strings. */
  types?: Record<string, ParamType>;
}

/**
 * Rows come back in one shape from every adapter: INT64 as number, FLOAT64 as number, NUMERIC
 * and BIGNUMERIC as exact decimal strings in canonical form (plain notation, no exponent, no
 * trailing fractional zeros: '0.3', '-12.5', '100'; add them with a decimal library, never as
 * JS numbers), TIMESTAMP as ISO-8601 UTC string, DATE as YYYY-MM-DD, TIME as HH:MM:SS[.ffffff],
 * BYTES as Buffer, JSON parsed, STRUCT as object, REPEATED as array.
 * DATETIME: BigQuery answers civil 'YYYY-MM-DDTHH:MM:SS[.ffffff]'; DuckDB stores it as a
 * TIMESTAMP and answers it like one (no schema uses DATETIME today).
 */
export type Row = Record<string, unknown>;

/** A result set as columnar bytes: read with `pl.readParquet` or `pl.readIPCStream`. */
export interface ColumnarResult {
  format: 'parquet' | 'arrow_ipc';
  data: Uint8Array;
}

/** Column names per table of a dataset; an absent dataset is an empty map. */
export type DatasetLayout = Map<string, string[]>;

export interface Warehouse {
  readonly kind: 'duckdb' | 'bigquery';
  /** A quoted, fully qualified table reference for SQL text. */
  table(dataset: string, table: string): string;
  ping(): Promise<void>;
  /** Creates the dataset; false when it already existed. */
  createDataset(dataset: string): Promise<boolean>;
  /** Drops the dataset and everything in it; no error when absent. */
  dropDataset(dataset: string): Promise<void>;
  /** Every table of the dataset with its column names, in one round-trip. */
  describeDataset(dataset: string): Promise<DatasetLayout>;
  /** Creates the table; false when it already existed. */
  createTable(dataset: string, spec: TableSpec): Promise<boolean>;
  dropTable(dataset: string, table: string): Promise<void>;
  /** Adds columns (always NULLABLE or REPEATED: neither engine can add a REQUIRED column to rows). */
  addColumns(dataset: string, table: string, fields: FieldSchema[]): Promise<void>;
  query(q: Query): Promise<Row[]>;
  /** DML; returns the rows it affected. */
  execute(q: Query): Promise<{ affectedRows: number }>;
  /**
   * A read whose result goes to a columnar engine (nodejs-polars), never through JS row objects
   * (1M rows as objects take seconds and V8 heap): Parquet bytes from DuckDB, an Arrow IPC
   * stream from BigQuery's Storage Read API. Same SQL and parameters as `query`; NUMERIC columns
   * arrive as decimals, TIMESTAMP as UTC instants (DuckDB: zone-less UTC wall time).
   */
  queryColumnar(q: Query): Promise<ColumnarResult>;
  /**
   * Appends columnar rows (columns matched by name; absent ones NULL) without SQL INSERTs: a
   * bulk load for seeding and backfills (DuckDB reads the Parquet; BigQuery runs a load job).
   * Returns the rows appended. Not for rows that change: BigQuery's DML rule still holds.
   */
  loadColumnar(dataset: string, table: string, rows: ColumnarResult): Promise<number>;
  close(): Promise<void>;
}

/** A warehouse call failed in a way the caller should see as "try again later". */
export class WarehouseUnavailableError extends Error {
  /** How long the caller should wait before trying again (becomes `Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.name = 'WarehouseUnavailableError';
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
/** BigQuery dataset and table ids may start with a digit (an org slug like `3m_india` does); columns may not. */
const CONTAINER_IDENT = /^[A-Za-z0-9_]{1,1024}$/;

/** Dataset, table and column names reach SQL text unparameterised, so they must be plain identifiers. */
export function assertIdentifier(name: string, what: 'dataset' | 'table' | 'column'): string {
  if (!(what === 'column' ? IDENT : CONTAINER_IDENT).test(name)) throw new Error(`Invalid ${what} name: ${JSON.stringify(name)}`);
  return name;
}

/** BigQuery DDL type for a schema field (also valid DuckDB after `duckdbType`). */
export function normaliseType(type: FieldType): Exclude<FieldType, 'INTEGER' | 'FLOAT' | 'BOOLEAN' | 'RECORD'> {
  switch (type) {
    case 'INTEGER': return 'INT64';
    case 'FLOAT': return 'FLOAT64';
    case 'BOOLEAN': return 'BOOL';
    case 'RECORD': return 'STRUCT';
    default: return type;
  }
}
