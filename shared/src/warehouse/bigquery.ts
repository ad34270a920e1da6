import { bqDdlType, bqParamType, bqParamValue, inferParamType, normaliseBqRow, type BqParamType } from './bigquery-types.js';
import { assertIdentifier, normaliseType, WarehouseUnavailableError, type DatasetLayout, type FieldSchema, type ParamType, type Query, type Row, type TableSpec, type Warehouse } from './port.js';

/**
 * The part of @google-cloud/bigquery this adapter uses, spelled as the library spells it. Tests
 * stub exactly this boundary and assert what crosses it; production passes the real client.
 */
export interface BqQueryRequest {
  query: string;
  params?: Record<string, unknown>;
  types?: Record<string, BqParamType>;
  location: string;
  parseJSON?: boolean;
  jobCreationMode?: 'JOB_CREATION_OPTIONAL' | 'JOB_CREATION_REQUIRED';
}

export interface BqTableResource {
  schema: { fields: FieldSchema[] };
  timePartitioning?: { type: 'DAY'; field: string };
  clustering?: { fields: string[] };
  description?: string;
}

export interface BigQueryClientLike {
  query(request: BqQueryRequest): Promise<[Row[], ...unknown[]]>;
  createQueryJob(request: BqQueryRequest): Promise<[{ getQueryResults(): Promise<[Row[], unknown?, { numDmlAffectedRows?: string | number }?]> }, ...unknown[]]>;
  createDataset(id: string, options: { location: string }): Promise<unknown>;
  dataset(id: string): {
    createTable(id: string, resource: BqTableResource): Promise<unknown>;
    delete(options: { force: boolean }): Promise<unknown>;
  };
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

const defaultRetry: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery';

  constructor(
    private readonly client: BigQueryClientLike,
    private readonly projectId: string,
    private readonly location: string,
    private readonly retry: RetryPolicy = defaultRetry,
  ) {}

  table(dataset: string, table: string): string {
    return `\`${this.projectId}.${assertIdentifier(dataset, 'dataset')}.${assertIdentifier(table, 'table')}\``;
  }

  async ping(): Promise<void> {
    await this.query({ sql: 'SELECT 1 AS ok' });
  }

  async createDataset(dataset: string): Promise<boolean> {
    assertIdentifier(dataset, 'dataset');
    try {
      await this.withRetry(() => this.client.createDataset(dataset, { location: this.location }), true);
      return true;
    } catch (err) {
      if (httpStatus(err) === 409) return false;
      throw err;
    }
  }

  async dropDataset(dataset: string): Promise<void> {
    try {
      await this.withRetry(() => this.client.dataset(assertIdentifier(dataset, 'dataset')).delete({ force: true }), true);
    } catch (err) {
      if (httpStatus(err) !== 404) throw err;
    }
  }

  async describeDataset(dataset: string): Promise<DatasetLayout> {
    const ref = `\`${this.projectId}.${assertIdentifier(dataset, 'dataset')}.INFORMATION_SCHEMA.COLUMNS\``;
    let rows: Row[];
    try {
      rows = await this.query({ sql: `SELECT table_name, column_name FROM ${ref} ORDER BY table_name, ordinal_position` });
    } catch (err) {
      if (httpStatus(err) === 404 || /not found: dataset/i.test(errorMessage(err))) return new Map();
      throw err;
    }
    const layout: DatasetLayout = new Map();
    for (const r of rows) {
      const t = String(r.table_name);
      if (!layout.has(t)) layout.set(t, []);
      layout.get(t)!.push(String(r.column_name));
    }
    return layout;
  }

  async createTable(dataset: string, spec: TableSpec): Promise<boolean> {
    const resource: BqTableResource = {
      schema: { fields: spec.fields.map(bqField) },
      ...(spec.partitionField ? { timePartitioning: { type: 'DAY', field: spec.partitionField } } : {}),
      ...(spec.clustering?.length ? { clustering: { fields: spec.clustering } } : {}),
      ...(spec.description ? { description: spec.description } : {}),
    };
    try {
      await this.withRetry(() => this.client.dataset(assertIdentifier(dataset, 'dataset')).createTable(assertIdentifier(spec.name, 'table'), resource), true);
      return true;
    } catch (err) {
      if (httpStatus(err) === 409) return false;
      throw err;
    }
  }

  async dropTable(dataset: string, table: string): Promise<void> {
    await this.execute({ sql: `DROP TABLE IF EXISTS ${this.table(dataset, table)}` });
  }

  async addColumns(dataset: string, table: string, fields: FieldSchema[]): Promise<void> {
    if (!fields.length) return;
    const clauses = fields.map((f) => `ADD COLUMN IF NOT EXISTS ${assertIdentifier(f.name, 'column')} ${bqDdlType(f)}`);
    await this.execute({ sql: `ALTER TABLE ${this.table(dataset, table)} ${clauses.join(', ')}` });
  }

  async query(q: Query): Promise<Row[]> {
    // Short reads may skip job creation (jobs.query fast path); nothing here needs the job.
    const request = { ...this.request(q), jobCreationMode: 'JOB_CREATION_OPTIONAL' as const, parseJSON: true };
    const [rows] = await this.withRetry(() => this.client.query(request), true);
    return rows.map(normaliseBqRow);
  }

  async execute(q: Query): Promise<{ affectedRows: number }> {
    const request = this.request(q);
    // A DML job may have written before a 5xx reached us; only errors that prove nothing ran are retried.
    return this.withRetry(async () => {
      const [job] = await this.client.createQueryJob(request);
      const [, , response] = await job.getQueryResults();
      return { affectedRows: Number(response?.numDmlAffectedRows ?? 0) };
    }, false);
  }

  async close(): Promise<void> {}

  /** Builds the named-parameter request: `@name` in SQL, and a type for every parameter. */
  request(q: Query): BqQueryRequest {
    const params: Record<string, unknown> = {};
    const types: Record<string, BqParamType> = {};
    for (const [name, value] of Object.entries(q.params ?? {})) {
      const type: ParamType = q.types?.[name] ?? inferParamType(value);
      params[name] = bqParamValue(value, type);
      types[name] = bqParamType(type);
    }
    return { query: q.sql, params, types, location: this.location };
  }

  private async withRetry<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const retry = isSerializationConflict(err) || isRateLimit(err) || (idempotent && isTransient(err));
        if (!retry || attempt >= this.retry.attempts) {
          if (retry) throw new WarehouseUnavailableError(`BigQuery still failing after ${attempt} attempts: ${errorMessage(err)}`, { cause: err });
          throw err;
        }
        const delay = this.retry.baseDelayMs * 2 ** (attempt - 1);
        await this.retry.sleep(delay / 2 + Math.random() * (delay / 2));
      }
    }
  }
}

function bqField(f: FieldSchema): FieldSchema {
  return { ...f, type: normaliseType(f.type), ...(f.fields ? { fields: f.fields.map(bqField) } : {}) };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function httpStatus(err: unknown): number | undefined {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function reasons(err: unknown): string[] {
  const errors = (err as { errors?: { reason?: string }[] })?.errors;
  return Array.isArray(errors) ? errors.map((e) => e.reason ?? '') : [];
}

export function isSerializationConflict(err: unknown): boolean {
  return /could not serialize access/i.test(errorMessage(err));
}

export function isRateLimit(err: unknown): boolean {
  return httpStatus(err) === 429 || reasons(err).some((r) => /rateLimitExceeded|jobRateLimitExceeded|quotaExceeded/.test(r));
}

function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  return status === 500 || status === 502 || status === 503 || reasons(err).some((r) => r === 'backendError' || r === 'internalError');
}
