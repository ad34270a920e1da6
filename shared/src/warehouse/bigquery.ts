import { classifyBqError, errorMessage, httpStatus, RETRY_AFTER_SECONDS, type BqFailure } from './bigquery-errors.js';
import { bigQueryTableRef } from './bigquery-ref.js';
import { bqDdlType, bqParamType, bqParamValue, inferParamType, normaliseBqRow, type BqParamType } from './bigquery-types.js';
import { currentWarehouseContext, nextJobId, requestLabel } from './job-context.js';
import { assertIdentifier, normaliseType, WarehouseUnavailableError, type ColumnarResult, type DatasetLayout, type FieldSchema, type ParamType, type Query, type Row, type TableSpec, type Warehouse } from './port.js';

/**
 * The part of @google-cloud/bigquery this adapter uses, spelled as the library spells it. Tests
 * stub exactly this boundary and assert what crosses it; production passes `bigQueryClient(...)`
 * (bigquery-client.ts), which the wire tests drive through the real library against a local
 * HTTP server speaking BigQuery's REST API.
 */
export interface BqQueryRequest {
  query: string;
  params?: Record<string, unknown>;
  types?: Record<string, BqParamType>;
  location: string;
  parseJSON?: boolean;
  jobCreationMode?: 'JOB_CREATION_OPTIONAL' | 'JOB_CREATION_REQUIRED';
  labels?: Record<string, string>;
}

/** A job we name ourselves, so creating it twice cannot run it twice (the second gets 409). */
export interface BqJobRequest extends BqQueryRequest {
  jobId: string;
  /** BigQuery stops the job after this long (configuration.jobTimeoutMs). */
  jobTimeoutMs: number;
}

export interface BqQueryResults {
  complete: boolean;
  numDmlAffectedRows?: string | number;
}

export interface BqTableResource {
  schema: { fields: FieldSchema[] };
  timePartitioning?: { type: 'DAY'; field: string };
  clustering?: { fields: string[] };
  description?: string;
}

export interface BigQueryClientLike {
  /** jobs.query (short reads may skip job creation); `timeoutMs` bounds the wait. */
  query(request: BqQueryRequest, options?: { timeoutMs?: number }): Promise<[Row[], ...unknown[]]>;
  /** jobs.insert; resolves once BigQuery holds the job, rejects with 409 when the id exists. */
  createQueryJob(request: BqJobRequest): Promise<unknown>;
  /** One long poll (jobs.getQueryResults) of at most `timeoutMs`; rejects with the job's error if it failed. */
  getQueryResults(jobId: string, options: { location: string; timeoutMs: number }): Promise<BqQueryResults>;
  cancelJob(jobId: string, options: { location: string }): Promise<unknown>;
  createDataset(id: string, options: { location: string }): Promise<unknown>;
  dataset(id: string): {
    createTable(id: string, resource: BqTableResource): Promise<unknown>;
    delete(options: { force: boolean }): Promise<unknown>;
  };
}

/** A query job that has finished, whose result table is to be read. */
export interface FinishedQueryJob {
  jobId: string;
  location: string;
  /** The SQL sorts its result: the table must be read as one stream so the order holds. */
  ordered: boolean;
  /** Time left for the read (the request's deadline, or the job timeout). */
  timeoutMs: number;
}

/**
 * Reads a finished query job's result table through the Storage Read API (ARROW format),
 * answering one Arrow IPC stream: the schema message, then every record batch of every stream
 * (bigquery-arrow.ts).
 */
export interface BigQueryArrowReader {
  readJobResult(job: FinishedQueryJob): Promise<Uint8Array>;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export interface JobPolicy {
  /**
   * Every job's timeout, below the function's deadline (Cloud Functions: 60 s by default): the
   * job is stopped by BigQuery after this long, and the adapter stops waiting, cancels it and
   * answers WarehouseUnavailableError. Worst case a call returns ~this + 3 s (cancel, one look).
   */
  jobTimeoutMs: number;
  /** Longest single wait of one poll; polls repeat until the job is done or its time is up. */
  pollSliceMs: number;
  /** The last look after a cancel: did the job commit after all? */
  confirmMs: number;
  now: () => number;
}

export const DEFAULT_JOB_TIMEOUT_MS = 50_000;

const defaultRetry: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

const defaultJobs: JobPolicy = { jobTimeoutMs: DEFAULT_JOB_TIMEOUT_MS, pollSliceMs: 10_000, confirmMs: 2_000, now: () => Date.now() };

/** A job shorter than this is not worth starting: the answer would be a timeout anyway. */
const MIN_JOB_MS = 1_000;

export class BigQueryWarehouse implements Warehouse {
  readonly kind = 'bigquery';

  private readonly jobs: JobPolicy;

  constructor(
    private readonly client: BigQueryClientLike,
    private readonly projectId: string,
    private readonly location: string,
    private readonly retry: RetryPolicy = defaultRetry,
    jobs: Partial<JobPolicy> = {},
    private readonly arrowReader?: BigQueryArrowReader,
  ) {
    this.jobs = { ...defaultJobs, ...jobs };
  }

  table(dataset: string, table: string): string {
    return bigQueryTableRef(this.projectId, dataset, table);
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
    // Short reads may skip job creation (jobs.query fast path), so they carry the request id as a
    // label rather than in a job id; a read has no side effect to stop, only a wait to bound.
    const request = { ...this.request(q), jobCreationMode: 'JOB_CREATION_OPTIONAL' as const, parseJSON: true, ...labelled() };
    const timeoutMs = this.jobTimeoutMs();
    const [rows] = await this.withRetry(() => this.client.query(request, { timeoutMs }), true);
    return rows.map(normaliseBqRow);
  }

  /**
   * DML and DDL, each as a job named after the request (`ca_<request id>_<n>_<random>`) with a
   * timeout below the function's deadline. A job that failed without writing (serialization
   * conflict, full DML queue, rate limit) is rerun as a new job; anything whose outcome is
   * unknown is never rerun, only reported as WarehouseUnavailableError.
   */
  async execute(q: Query): Promise<{ affectedRows: number }> {
    const { affectedRows } = await this.runJobWithReruns(q);
    return { affectedRows };
  }

  private async runJobWithReruns(q: Query): Promise<{ affectedRows: number; jobId: string }> {
    const base = { ...this.request(q), ...labelled() };
    for (let attempt = 1; ; attempt++) {
      try {
        const jobId = nextJobId();
        return { ...await this.runJob({ ...base, jobId, jobTimeoutMs: this.jobTimeoutMs() }), jobId };
      } catch (err) {
        if (err instanceof WarehouseUnavailableError) throw err;
        const kind = classifyBqError(err);
        if (kind === 'resources' || kind === 'timeout') throw unavailable(kind, `BigQuery job failed: ${errorMessage(err)}`, err);
        if (kind !== 'conflict' && kind !== 'rateLimit' && kind !== 'dmlQueue') throw err;
        if (attempt >= this.retry.attempts) throw unavailable(kind, `BigQuery still failing after ${attempt} attempts: ${errorMessage(err)}`, err);
        await this.backoff(attempt);
      }
    }
  }

  /**
   * The query runs as a job exactly as DML does (named after the request, timed out, cancelled
   * when out of time), and its result table is then read through the BigQuery Storage Read API
   * as an Arrow IPC stream (`arrowReader`). Without a reader this says so instead of falling
   * back to row objects, which is what the columnar path exists to avoid.
   */
  async queryColumnar(q: Query): Promise<ColumnarResult> {
    if (!this.arrowReader) throw new Error('queryColumnar on BigQuery needs a Storage Read API reader (@google-cloud/bigquery-storage); this adapter was built without one');
    const { jobId } = await this.runJobWithReruns(q);
    // A sort (even one inside OVER) asks for one stream: over-matching only costs parallelism.
    const ordered = /\border\s+by\b/i.test(q.sql);
    const data = await this.arrowReader.readJobResult({ jobId, location: this.location, ordered, timeoutMs: this.jobTimeoutMs() });
    return { format: 'arrow_ipc', data };
  }

  /** A load job (sourceFormat PARQUET / ARROW) through the client: not wired yet (see the costs README section). */
  async loadColumnar(dataset: string, table: string): Promise<number> {
    throw new Error(`loadColumnar into ${assertIdentifier(dataset, 'dataset')}.${assertIdentifier(table, 'table')} is not implemented on BigQuery yet (a load job)`);
  }

  async close(): Promise<void> {}

  /** Builds the named-parameter request: `@name` in SQL, and a type for every parameter. */
  request(q: Query): BqQueryRequest {
    const params: Record<string, unknown> = {};
    const types: Record<string, BqParamType> = {};
    for (const [name, value] of Object.entries(q.params ?? {})) {
      const type: ParamType = q.types?.[name] ?? inferParamType(value);
      types[name] = bqParamType(type);
      params[name] = bqParamValue(value, type);
    }
    return { query: q.sql, params, types, location: this.location };
  }

  /** The configured timeout, cut to what is left of the request's own deadline when it has one. */
  private jobTimeoutMs(): number {
    const deadlineAt = currentWarehouseContext()?.deadlineAt;
    const ms = deadlineAt === undefined ? this.jobs.jobTimeoutMs : Math.min(this.jobs.jobTimeoutMs, deadlineAt - this.jobs.now());
    if (ms < MIN_JOB_MS) throw unavailable('timeout', `No time left for a BigQuery job (${Math.max(0, Math.round(ms))} ms before the request's deadline)`);
    return Math.floor(ms);
  }

  /**
   * Creates the job once and polls it until done or out of time. Creation's own retries (the
   * library's) reuse the job id, so a 409 means an earlier attempt got through: poll that job.
   * Polling is idempotent and retried on its own. When time is up the job is cancelled; a
   * cancel is best-effort, so one short look decides whether it committed after all.
   */
  private async runJob(request: BqJobRequest): Promise<{ affectedRows: number }> {
    const { jobId, location } = request;
    const deadline = this.jobs.now() + request.jobTimeoutMs;
    let creationFailure: unknown;
    try {
      await this.client.createQueryJob(request);
    } catch (err) {
      const kind = classifyBqError(err);
      if (kind === 'transient') creationFailure = err; // did it reach BigQuery? polling tells
      else if (kind !== 'exists') throw err;
    }
    for (let polls = 1; ; polls++) {
      const remaining = deadline - this.jobs.now();
      if (remaining <= 0) return this.abandon(jobId, request.jobTimeoutMs);
      try {
        const res = await this.client.getQueryResults(jobId, { location, timeoutMs: Math.min(remaining, this.jobs.pollSliceMs) });
        if (res.complete) return { affectedRows: Number(res.numDmlAffectedRows ?? 0) };
      } catch (err) {
        const kind = classifyBqError(err);
        if (kind === 'notFound' && creationFailure !== undefined) {
          throw unavailable('transient', `BigQuery did not take job ${jobId}: ${errorMessage(creationFailure)}`, creationFailure);
        }
        if (kind !== 'transient' && kind !== 'notFound') throw err; // the job's own error
        if (polls >= this.retry.attempts) throw unavailable('transient', `Lost track of BigQuery job ${jobId} (outcome unknown; it stops by its ${request.jobTimeoutMs} ms timeout): ${errorMessage(err)}`, err);
        await this.backoff(polls);
      }
    }
  }

  private async abandon(jobId: string, timeoutMs: number): Promise<{ affectedRows: number }> {
    await this.client.cancelJob(jobId, { location: this.location }).catch(() => undefined);
    try {
      const res = await this.client.getQueryResults(jobId, { location: this.location, timeoutMs: this.jobs.confirmMs });
      if (res.complete) return { affectedRows: Number(res.numDmlAffectedRows ?? 0) };
    } catch {
      // Cancelled (or unreachable): either way the caller hears "not done, try again".
    }
    throw unavailable('timeout', `BigQuery job ${jobId} did not finish within ${timeoutMs} ms and was cancelled`);
  }

  private async backoff(attempt: number): Promise<void> {
    const delay = this.retry.baseDelayMs * 2 ** (attempt - 1);
    await this.retry.sleep(delay / 2 + Math.random() * (delay / 2));
  }

  private async withRetry<T>(fn: () => Promise<T>, idempotent: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        const kind = classifyBqError(err);
        if (kind === 'resources' || kind === 'timeout') throw unavailable(kind, `BigQuery: ${errorMessage(err)}`, err);
        const retry = kind === 'conflict' || kind === 'rateLimit' || kind === 'dmlQueue' || (idempotent && kind === 'transient');
        if (!retry) throw err;
        if (attempt >= this.retry.attempts) throw unavailable(kind, `BigQuery still failing after ${attempt} attempts: ${errorMessage(err)}`, err);
        await this.backoff(attempt);
      }
    }
  }
}

function labelled(): { labels?: Record<string, string> } {
  const labels = requestLabel();
  return Object.keys(labels).length ? { labels } : {};
}

function unavailable(kind: Exclude<BqFailure, 'exists' | 'notFound' | 'other'>, message: string, cause?: unknown): WarehouseUnavailableError {
  return new WarehouseUnavailableError(message, { cause, retryAfterSeconds: RETRY_AFTER_SECONDS[kind] });
}

function bqField(f: FieldSchema): FieldSchema {
  return { ...f, type: normaliseType(f.type), ...(f.fields ? { fields: f.fields.map(bqField) } : {}) };
}

export function isSerializationConflict(err: unknown): boolean {
  return classifyBqError(err) === 'conflict';
}

export function isRateLimit(err: unknown): boolean {
  return classifyBqError(err) === 'rateLimit';
}
