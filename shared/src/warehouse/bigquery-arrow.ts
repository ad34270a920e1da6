import type { BigQuery } from '@google-cloud/bigquery';
import { ServiceUnavailableError } from '../errors.js';
import type { BigQueryArrowReader, FinishedQueryJob } from './bigquery.js';
import { WarehouseUnavailableError } from './port.js';

/**
 * The part of the Storage Read API (@google-cloud/bigquery-storage, v1 BigQueryReadClient) the
 * reader uses, spelled as the library spells it. Tests stub exactly this boundary; production
 * wraps the real client (`openStorageReadClient`).
 */
export interface StorageReadSessionRequest {
  /** The project billed for the read: the adapter's project, not necessarily the table's. */
  parent: string;
  readSession: { table: string; dataFormat: 'ARROW' };
  /** At most this many streams (the server may give fewer); 1 keeps the table's row order. */
  maxStreamCount: number;
}

export interface StorageReadSession {
  arrowSchema?: { serializedSchema?: Uint8Array | null } | null;
  streams?: { name?: string | null }[] | null;
}

export interface StorageReadRowsResponse {
  rowCount?: number | string | { toString(): string } | null;
  arrowRecordBatch?: { serializedRecordBatch?: Uint8Array | null } | null;
}

export interface StorageReadClientLike {
  createReadSession(request: StorageReadSessionRequest, options: { timeout: number }): Promise<StorageReadSession>;
  /** One server stream of a read stream's rows from `offset` on. */
  readRows(request: { readStream: string; offset: number }, options: { timeout: number }): AsyncIterable<StorageReadRowsResponse>;
}

/** A finished job's result table (jobs.get → configuration.query.destinationTable). */
export interface TableId { projectId: string; datasetId: string; tableId: string }
export type DestinationLookup = (jobId: string, location: string) => Promise<TableId>;

export interface ArrowReaderOptions {
  /** Streams asked for when row order does not matter (read concurrently, joined in stream order). */
  maxStreams?: number;
  /** Resumptions of one stream after UNAVAILABLE (from the rows already read, so none repeat). */
  resumeAttempts?: number;
}

/** The end-of-stream marker of the Arrow IPC stream format: continuation 0xFFFFFFFF, length 0. */
const IPC_EOS = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/** gRPC status codes that mean "the service is busy or away", not "your request is wrong". */
const GRPC_UNAVAILABLE = 14;
const GRPC_BUSY = new Set([4 /* DEADLINE_EXCEEDED */, 8 /* RESOURCE_EXHAUSTED */, GRPC_UNAVAILABLE]);

/**
 * Reads a finished query job's result table through the Storage Read API as Arrow. The session's
 * schema and every stream's record batches are already encapsulated IPC messages, so the answer
 * is their concatenation plus the end-of-stream marker: one Arrow IPC stream for
 * `pl.readIPCStream`, built without decoding a value in JS.
 */
export function storageArrowReader(
  storage: () => Promise<StorageReadClientLike>,
  destinationOf: DestinationLookup,
  billingProject: string,
  options: ArrowReaderOptions = {},
): BigQueryArrowReader {
  const maxStreams = options.maxStreams ?? 4;
  const resumeAttempts = options.resumeAttempts ?? 3;
  return {
    async readJobResult(job: FinishedQueryJob): Promise<Uint8Array> {
      const deadline = Date.now() + job.timeoutMs;
      const left = () => Math.max(1, deadline - Date.now());
      try {
        const [client, table] = await Promise.all([storage(), destinationOf(job.jobId, job.location)]);
        const session = await client.createReadSession({
          parent: `projects/${billingProject}`,
          readSession: { table: `projects/${table.projectId}/datasets/${table.datasetId}/tables/${table.tableId}`, dataFormat: 'ARROW' },
          maxStreamCount: job.ordered ? 1 : maxStreams,
        }, { timeout: left() });
        const schema = session.arrowSchema?.serializedSchema;
        if (!schema?.byteLength) throw new Error(`BigQuery read session for job ${job.jobId} has no Arrow schema`);
        // An empty result has no streams: the schema alone still makes a readable (empty) frame.
        const names = (session.streams ?? []).map((s) => s.name).filter((n): n is string => Boolean(n));
        const perStream = await Promise.all(names.map((name) => readStream(client, name, left, resumeAttempts)));
        return concat([schema, ...perStream.flat(), IPC_EOS]);
      } catch (err) {
        throw asUnavailable(err);
      }
    },
  };
}

/** Every record batch of one stream, resuming after UNAVAILABLE from the rows already read. */
async function readStream(client: StorageReadClientLike, name: string, left: () => number, resumeAttempts: number): Promise<Uint8Array[]> {
  const batches: Uint8Array[] = [];
  let offset = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      for await (const res of client.readRows({ readStream: name, offset }, { timeout: left() })) {
        const batch = res.arrowRecordBatch?.serializedRecordBatch;
        if (!batch?.byteLength) continue;
        batches.push(batch);
        offset += Number(String(res.rowCount ?? 0));
      }
      return batches;
    } catch (err) {
      if (grpcCode(err) !== GRPC_UNAVAILABLE || attempt >= resumeAttempts) throw err;
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

const GRPC_PERMISSION_DENIED = 7;
const READ_SESSION_PERMISSION = 'bigquery.readsessions.create';
const READ_SESSION_ROLE = 'roles/bigquery.readSessionUser';
const STORAGE_SERVICE = 'bigquerystorage.googleapis.com';

/**
 * A busy or unreachable Storage API is "try again later" to the caller, like a busy BigQuery.
 * A runtime identity that may not open read sessions, or a project without the Storage API, is a
 * deployment's to fix: a 503 that names what is missing (infra/deploy/deploy.sh grants and enables
 * both), not a 500 that says nothing. Any other refusal (say, no access to the table) is passed on.
 */
function asUnavailable(err: unknown): unknown {
  const code = grpcCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === GRPC_PERMISSION_DENIED && message.includes(READ_SESSION_PERMISSION)) {
    return new ServiceUnavailableError(
      `The service account may not read query results through the BigQuery Storage Read API: it lacks ${READ_SESSION_PERMISSION}; grant it ${READ_SESSION_ROLE}`,
      { cause: err, retryAfterSeconds: 60, details: { reason: 'storage_read_permission_denied', permission: READ_SESSION_PERMISSION, role: READ_SESSION_ROLE } },
    );
  }
  if (code === GRPC_PERMISSION_DENIED && /has not been used in project|is disabled|SERVICE_DISABLED/i.test(message)) {
    return new ServiceUnavailableError(
      `The BigQuery Storage API is not enabled in this project: enable ${STORAGE_SERVICE}`,
      { cause: err, retryAfterSeconds: 60, details: { reason: 'storage_api_disabled', service: STORAGE_SERVICE } },
    );
  }
  if (code === undefined || !GRPC_BUSY.has(code)) return err;
  return new WarehouseUnavailableError(`BigQuery Storage Read API: ${message}`, { cause: err, retryAfterSeconds: 5 });
}

/** jobs.get through the BigQuery client: where the job wrote its (anonymous) result table. */
export function destinationFromJobs(bq: BigQuery): DestinationLookup {
  return async (jobId, location) => {
    const [meta] = await bq.job(jobId, { location }).getMetadata();
    const dest = (meta as { configuration?: { query?: { destinationTable?: Partial<TableId> } } }).configuration?.query?.destinationTable;
    if (!dest?.projectId || !dest.datasetId || !dest.tableId) throw new Error(`BigQuery job ${jobId} has no destination table`);
    return { projectId: dest.projectId, datasetId: dest.datasetId, tableId: dest.tableId };
  };
}

/**
 * The real v1 BigQueryReadClient, imported on first use: gRPC and the Storage API's protos cost
 * hundreds of ms to load, which only a columnar read (the costs function) should pay.
 */
export function openStorageReadClient(projectId: string): () => Promise<StorageReadClientLike> {
  let client: Promise<StorageReadClientLike> | undefined;
  return () => (client ??= (async () => {
    const { BigQueryReadClient } = await import('@google-cloud/bigquery-storage');
    const real = new BigQueryReadClient({ projectId });
    const wrapped: StorageReadClientLike = {
      createReadSession: async (request, options) => {
        const [session] = await real.createReadSession(request, options);
        return session as StorageReadSession;
      },
      readRows: (request, options) => real.readRows(request, options) as AsyncIterable<StorageReadRowsResponse>,
    };
    return wrapped;
  })().catch((err: unknown) => {
    client = undefined; // a failed load (or credentials lookup) is retried by the next read
    throw err;
  }));
}
