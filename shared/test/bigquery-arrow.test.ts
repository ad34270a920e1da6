import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { openWarehouse } from '../src/app/create-deps.js';
import { storageArrowReader, type StorageReadClientLike, type StorageReadRowsResponse, type StorageReadSessionRequest, type TableId } from '../src/warehouse/bigquery-arrow.js';
import { BigQueryWarehouse, type BigQueryClientLike, type BqJobRequest, type FinishedQueryJob } from '../src/warehouse/bigquery.js';
import { ServiceUnavailableError } from '../src/errors.js';
import { errorAnswer } from '../src/http/envelope.js';
import { WarehouseUnavailableError } from '../src/warehouse/port.js';

/**
 * The Storage Read API reader against a stub of the storage client that answers real Arrow IPC
 * messages (built with apache-arrow, the storage library's own dependency, split the way the API
 * sends them: the schema once in the session, one record batch per ReadRowsResponse), and the
 * answer read back by Polars. The live read runs only with BIGQUERY_TEST_PROJECT and credentials.
 */

/** The few apache-arrow calls used here (it is not a direct dependency, so its types are not resolvable). */
interface ArrowLib {
  Table: new (columns: Record<string, unknown>) => object;
  tableToIPC(table: object, format: 'stream'): Uint8Array;
  vectorFromArray(values: unknown[], type: object): unknown;
  Utf8: new () => object;
  Float64: new () => object;
  Int64: new () => object;
  TimestampMicrosecond: new (tz: string) => object;
}
const storageDir = dirname(realpathSync(createRequire(import.meta.url).resolve('@google-cloud/bigquery-storage/package.json')));
const arrow = createRequire(join(storageDir, 'package.json'))('apache-arrow') as ArrowLib;

interface Rows { provider: string[]; bucketSec: number[]; cost: number[] }

/** One table of rows as a whole IPC stream: schema message, one record batch, end marker. */
function ipc(rows: Rows): Buffer {
  const { Table, tableToIPC, vectorFromArray, Utf8, Float64, Int64, TimestampMicrosecond } = arrow;
  return Buffer.from(tableToIPC(new Table({
    provider: vectorFromArray(rows.provider, new Utf8()),
    bucket: vectorFromArray(rows.bucketSec.map((s) => s * 1000), new TimestampMicrosecond('UTC')),
    cost: vectorFromArray(rows.cost, new Float64()),
    records: vectorFromArray(rows.cost.map(() => 1n), new Int64()),
  }), 'stream'));
}
/** The schema message: continuation marker, metadata length, metadata (a schema has no body). */
const schemaOf = (stream: Buffer) => stream.subarray(0, 8 + stream.readInt32LE(4));
const batchOf = (stream: Buffer) => stream.subarray(schemaOf(stream).byteLength, stream.byteLength - 8);

type Step = { batch: Rows } | { fail: number };

class StubStorage implements StorageReadClientLike {
  sessions: StorageReadSessionRequest[] = [];
  reads: { readStream: string; offset: number }[] = [];

  constructor(private readonly streams: Record<string, Step[]>, private readonly delays: Record<string, number> = {}) {}

  async createReadSession(request: StorageReadSessionRequest): Promise<{ arrowSchema: { serializedSchema: Uint8Array }; streams: { name: string }[] }> {
    this.sessions.push(request);
    const names = Object.keys(this.streams).slice(0, request.maxStreamCount);
    return { arrowSchema: { serializedSchema: schemaOf(ipc({ provider: [], bucketSec: [], cost: [] })) }, streams: names.map((name) => ({ name })) };
  }

  readRows(request: { readStream: string; offset: number }): AsyncIterable<StorageReadRowsResponse> {
    this.reads.push(request);
    const steps = this.streams[request.readStream] ?? [];
    const delay = this.delays[request.readStream] ?? 0;
    return (async function* () {
      let sent = 0;
      for (const step of steps) {
        await new Promise((r) => setTimeout(r, delay));
        if ('fail' in step) {
          if (sent >= request.offset) { steps.splice(steps.indexOf(step), 1); throw Object.assign(new Error(`grpc ${step.fail}`), { code: step.fail }); }
          continue;
        }
        const n = step.batch.cost.length;
        if (sent >= request.offset) yield { rowCount: String(n), arrowRecordBatch: { serializedRecordBatch: batchOf(ipc(step.batch)) } };
        sent += n;
      }
    })();
  }
}

const dest: TableId = { projectId: 'bq-proj', datasetId: '_anon123', tableId: 'anon_tbl' };
const job = (over: Partial<FinishedQueryJob> = {}): FinishedQueryJob => ({ jobId: 'ca_req_1', location: 'EU', ordered: false, timeoutMs: 10_000, ...over });
const frame = (bytes: Uint8Array) => pl.readIPCStream(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

describe('BigQuery Storage Read API reader (Arrow)', () => {
  it('asks for an ARROW session on the job\'s destination table and joins every stream\'s batches, in stream order, into one IPC stream', async () => {
    const storage = new StubStorage({
      's/0': [{ batch: { provider: ['gcp', 'aws'], bucketSec: [0, 900], cost: [1.5, 2.25] } }, { batch: { provider: ['azure'], bucketSec: [1800], cost: [3] } }],
      's/1': [{ batch: { provider: ['openai'], bucketSec: [2700], cost: [0.125] } }],
    }, { 's/0': 20 }); // the first stream finishes last: order must still follow the streams
    const looked: string[] = [];
    const reader = storageArrowReader(async () => storage, async (jobId, location) => { looked.push(`${jobId}@${location}`); return dest; }, 'billing-proj', { maxStreams: 4 });
    const df = frame(await reader.readJobResult(job()));

    expect(looked).toEqual(['ca_req_1@EU']);
    expect(storage.sessions).toEqual([{
      parent: 'projects/billing-proj',
      readSession: { table: 'projects/bq-proj/datasets/_anon123/tables/anon_tbl', dataFormat: 'ARROW' },
      maxStreamCount: 4,
    }]);
    expect(storage.reads).toEqual([{ readStream: 's/0', offset: 0 }, { readStream: 's/1', offset: 0 }]);
    expect(df.columns).toEqual(['provider', 'bucket', 'cost', 'records']);
    expect(df.getColumn('provider').toArray()).toEqual(['gcp', 'aws', 'azure', 'openai']);
    expect(df.getColumn('cost').toArray()).toEqual([1.5, 2.25, 3, 0.125]);
    expect(String(df.getColumn('bucket').dtype)).toMatch(/Datetime.*UTC/);
    expect((df.getColumn('bucket').toArray() as unknown[]).map((d) => (d instanceof Date ? d.toISOString() : String(d)))).toEqual(['1970-01-01T00:00:00.000Z', '1970-01-01T00:15:00.000Z', '1970-01-01T00:30:00.000Z', '1970-01-01T00:45:00.000Z']);
    expect(Number(df.getColumn('records').sum())).toBe(4);
  });

  it('reads a sorted result as one stream, so the order holds', async () => {
    const storage = new StubStorage({ 's/0': [{ batch: { provider: ['a'], bucketSec: [0], cost: [1] } }], 's/1': [] });
    await storageArrowReader(async () => storage, async () => dest, 'p').readJobResult(job({ ordered: true }));
    expect(storage.sessions.map((s) => s.maxStreamCount)).toEqual([1]);
    expect(storage.reads.map((r) => r.readStream)).toEqual(['s/0']);
  });

  it('an empty result (no streams) is the schema alone: an empty frame with its columns', async () => {
    const df = frame(await storageArrowReader(async () => new StubStorage({}), async () => dest, 'p').readJobResult(job()));
    expect(df.shape).toEqual({ height: 0, width: 4 });
    expect(df.columns).toEqual(['provider', 'bucket', 'cost', 'records']);
  });

  it('resumes a stream cut by UNAVAILABLE from the rows already read, so no row repeats or goes missing', async () => {
    const storage = new StubStorage({ 's/0': [
      { batch: { provider: ['a', 'b'], bucketSec: [0, 0], cost: [1, 2] } },
      { fail: 14 },
      { batch: { provider: ['c'], bucketSec: [0], cost: [3] } },
    ] });
    const df = frame(await storageArrowReader(async () => storage, async () => dest, 'p').readJobResult(job()));
    expect(storage.reads).toEqual([{ readStream: 's/0', offset: 0 }, { readStream: 's/0', offset: 2 }]);
    expect(df.getColumn('provider').toArray()).toEqual(['a', 'b', 'c']);
  });

  it('a busy Storage API is "try again later"; a wrong request is passed on as it is', async () => {
    const failing = (code: number) => storageArrowReader(async () => new StubStorage({ 's/0': [{ fail: code }, { fail: code }, { fail: code }, { fail: code }, { fail: code }] }), async () => dest, 'p', { resumeAttempts: 1 });
    await expect(failing(8).readJobResult(job())).rejects.toBeInstanceOf(WarehouseUnavailableError);
    await expect(failing(14).readJobResult(job())).rejects.toBeInstanceOf(WarehouseUnavailableError);
    const wrong = failing(3).readJobResult(job());
    await expect(wrong).rejects.toThrow('grpc 3');
    await expect(wrong).rejects.not.toBeInstanceOf(WarehouseUnavailableError);
  });
});

describe('Storage Read API permission errors', () => {
  /** What @google-cloud/bigquery-storage throws when the caller may not open a read session. */
  const denied = () => Object.assign(new Error(
    "7 PERMISSION_DENIED: request failed: the user does not have 'bigquery.readsessions.create' permission for 'projects/billing-proj'",
  ), { code: 7, details: "request failed: the user does not have 'bigquery.readsessions.create' permission for 'projects/billing-proj'" });

  class DeniedStorage extends StubStorage {
    constructor() { super({}); }
    override async createReadSession(): Promise<never> { throw denied(); }
  }

  it('a missing bigquery.readsessions.create is a 503 that names the permission and the role to grant, not a bare 500', async () => {
    const err = await storageArrowReader(async () => new DeniedStorage(), async () => dest, 'billing-proj').readJobResult(job()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    const appError = err as ServiceUnavailableError;
    expect(appError.message).toMatch(/bigquery\.readsessions\.create/);
    expect(appError.message).toMatch(/roles\/bigquery\.readSessionUser/);
    expect(appError.details).toMatchObject({ reason: 'storage_read_permission_denied', permission: 'bigquery.readsessions.create', role: 'roles/bigquery.readSessionUser' });
    expect(appError.cause).toMatchObject({ code: 7 });

    const answer = errorAnswer(err, 'req-1');
    expect(answer.status).toBe(503);
    expect(JSON.parse(String(answer.body))).toMatchObject({ error: 'SERVICE_UNAVAILABLE', details: { permission: 'bigquery.readsessions.create' } });
  });

  it('through BigQueryWarehouse.queryColumnar too (the path every cost view takes)', async () => {
    const unused = () => Promise.reject(new Error('not used'));
    const client: BigQueryClientLike = {
      query: unused, createQueryJob: async () => ({}), getQueryResults: async () => ({ complete: true }), cancelJob: unused, createDataset: unused,
      dataset: () => ({ createTable: unused, delete: unused }),
    };
    const wh = new BigQueryWarehouse(client, 'billing-proj', 'EU', undefined, { jobTimeoutMs: 30_000 }, storageArrowReader(async () => new DeniedStorage(), async () => dest, 'billing-proj'));
    const err = await wh.queryColumnar({ sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect(errorAnswer(err, 'req-2').status).toBe(503);
  });

  it('a project without the Storage API enabled is a 503 naming the service to enable', async () => {
    class Disabled extends StubStorage {
      constructor() { super({}); }
      override async createReadSession(): Promise<never> {
        throw Object.assign(new Error('7 PERMISSION_DENIED: BigQuery Storage API has not been used in project 42 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/bigquerystorage.googleapis.com/overview?project=42'), { code: 7 });
      }
    }
    const err = await storageArrowReader(async () => new Disabled(), async () => dest, 'p').readJobResult(job()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ServiceUnavailableError).message).toMatch(/enable bigquerystorage\.googleapis\.com/);
    expect(errorAnswer(err, 'req-3').status).toBe(503);
  });

  it('another PERMISSION_DENIED (no access to the result table) is passed on as it is', async () => {
    class Other extends StubStorage {
      constructor() { super({}); }
      override async createReadSession(): Promise<never> { throw Object.assign(new Error('7 PERMISSION_DENIED: Access Denied: Table p:d.t'), { code: 7 }); }
    }
    const err = await storageArrowReader(async () => new Other(), async () => dest, 'p').readJobResult(job()).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(ServiceUnavailableError);
    expect(err).toMatchObject({ code: 7 });
  });
});

describe('BigQueryWarehouse.queryColumnar', () => {
  /** Just enough of the client for a query job that completes at once. */
  function jobClient(created: BqJobRequest[]): BigQueryClientLike {
    const unused = () => Promise.reject(new Error('not used'));
    return {
      query: unused,
      createQueryJob: async (r) => { created.push(r); return {}; },
      getQueryResults: async () => ({ complete: true }),
      cancelJob: unused,
      createDataset: unused,
      dataset: () => ({ createTable: unused, delete: unused }),
    };
  }

  it('runs the SQL as a named job, then reads that job\'s result as Arrow', async () => {
    const created: BqJobRequest[] = [];
    const read: FinishedQueryJob[] = [];
    const wh = new BigQueryWarehouse(jobClient(created), 'proj', 'EU', undefined, { jobTimeoutMs: 30_000 }, {
      readJobResult: async (j) => { read.push(j); return Uint8Array.of(1, 2, 3); },
    });
    const res = await wh.queryColumnar({ sql: 'SELECT x FROM t WHERE y = @y ORDER BY x', params: { y: 'a' } });
    expect(res).toEqual({ format: 'arrow_ipc', data: Uint8Array.of(1, 2, 3) });
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ query: 'SELECT x FROM t WHERE y = @y ORDER BY x', params: { y: 'a' }, location: 'EU', jobTimeoutMs: 30_000 });
    expect(read).toEqual([{ jobId: created[0]!.jobId, location: 'EU', ordered: true, timeoutMs: 30_000 }]);
  });

  it('says clearly that it has no reader instead of falling back to row objects', async () => {
    const wh = new BigQueryWarehouse(jobClient([]), 'proj', 'EU');
    await expect(wh.queryColumnar({ sql: 'SELECT 1' })).rejects.toThrow(/Storage Read API/);
  });
});

const bqProject = process.env.BIGQUERY_TEST_PROJECT;
const hasGoogleCreds = Boolean(process.env.GOOGLE_APPLICATION_CREDENTIALS || process.env.CLOUDSDK_CONFIG || process.env.GOOGLE_CLOUD_PROJECT);

describe.skipIf(!(bqProject && hasGoogleCreds))('live BigQuery: queryColumnar through the Storage Read API', () => {
  it('answers an Arrow IPC stream Polars reads, NUMERIC and TIMESTAMP included', async () => {
    const wh = await openWarehouse({ kind: 'bigquery', projectId: bqProject ?? '', location: process.env.BQ_LOCATION ?? 'US' });
    try {
      const res = await wh.queryColumnar({
        sql: `SELECT n, CAST(n AS NUMERIC) / 8 AS amount, TIMESTAMP_SECONDS(n * 900) AS bucket FROM UNNEST(GENERATE_ARRAY(1, @n)) AS n ORDER BY n`,
        params: { n: 5000 },
      });
      expect(res.format).toBe('arrow_ipc');
      const df = frame(res.data);
      expect(df.height).toBe(5000);
      expect([0, 1, 4999].map((i) => Number(df.getColumn('n').get(i)))).toEqual([1, 2, 5000]);
      expect(df.getColumn('amount').cast(pl.Utf8).get(0)).toMatch(/^0\.125/);
    } finally {
      await wh.close();
    }
  }, 120_000);
});
