import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';

/**
 * A local HTTP server speaking the part of BigQuery's REST API (v2) that the adapter uses:
 * jobs.insert, jobs.getQueryResults (a long poll), jobs.cancel and jobs.query. The real
 * @google-cloud/bigquery client talks to it, so tests see the exact JSON the library puts on the
 * wire and the library's own handling of the answers. Jobs complete when the test says so.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

export interface FakeJob {
  id: string;
  configuration: Record<string, unknown>;
  complete: boolean;
  numDmlAffectedRows?: string;
  /** The job's failure, as BigQuery reports it on getQueryResults. */
  error?: { code: number; reason: string; message: string };
}

export interface Answer {
  status: number;
  body: unknown;
}

export function googleError(code: number, reason: string, message: string): Answer {
  return { status: code, body: { error: { code, message, errors: [{ message, domain: 'global', reason }], status: 'FAILED' } } };
}

export class FakeBigQueryRest {
  readonly requests: RecordedRequest[] = [];
  readonly jobs = new Map<string, FakeJob>();
  /** Called for each jobs.insert before the default handling; an answer replaces it. */
  onInsert: (job: FakeJob, attempt: number) => Answer | undefined = () => undefined;
  /** Decides a new job's fate: by default it is done at once with 1 row affected. */
  settle: (job: FakeJob) => void = (job) => { job.complete = true; job.numDmlAffectedRows = '1'; };
  onQuery: (body: Record<string, unknown>) => Answer = () => ({ status: 200, body: { jobComplete: true, rows: [], schema: { fields: [] } } });
  private server?: Server;
  private inserts = 0;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The real client library, pointed here, with a stand-in for Google credentials. */
  client(url: string, options: Partial<BigQueryOptions> = {}): BigQuery {
    const authClient = { getRequestHeaders: async () => new Headers({ authorization: 'Bearer local-test' }) };
    return new BigQuery({ projectId: 'proj-1', location: 'EU', apiEndpoint: url, authClient: authClient as unknown as BigQueryOptions['authClient'], retryOptions: { autoRetry: false }, ...options });
  }

  inserted(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/jobs$/.test(r.path));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://local');
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body: text ? JSON.parse(text) as Record<string, unknown> : undefined };
    this.requests.push(recorded);
    const answer = await this.route(recorded);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  }

  private async route(r: RecordedRequest): Promise<Answer> {
    const base = '/bigquery/v2/projects/proj-1';
    if (r.method === 'POST' && r.path === `${base}/jobs`) return this.insert(r.body!);
    if (r.method === 'POST' && r.path === `${base}/queries`) return this.onQuery(r.body!);
    const poll = new RegExp(`^${base}/queries/([^/]+)$`).exec(r.path);
    if (r.method === 'GET' && poll) return this.poll(decodeURIComponent(poll[1]!), Number(r.query.get('timeoutMs') ?? 10_000));
    const cancel = new RegExp(`^${base}/jobs/([^/]+)/cancel$`).exec(r.path);
    if (r.method === 'POST' && cancel) return this.cancel(decodeURIComponent(cancel[1]!));
    return googleError(404, 'notFound', `No route ${r.method} ${r.path}`);
  }

  private insert(body: Record<string, unknown>): Answer {
    const ref = body.jobReference as { jobId: string; location: string };
    const existing = this.jobs.get(ref.jobId);
    if (existing) return googleError(409, 'duplicate', `Already Exists: Job proj-1:${ref.location}.${ref.jobId}`);
    const job: FakeJob = { id: ref.jobId, configuration: body.configuration as Record<string, unknown>, complete: false };
    const scripted = this.onInsert(job, ++this.inserts);
    if (scripted && scripted.status >= 400 && scripted.status !== 503) return scripted; // refused: no job
    this.jobs.set(job.id, job);
    this.settle(job);
    // A 503 here is an answer lost after the job was created.
    return scripted ?? { status: 200, body: { jobReference: { projectId: 'proj-1', ...ref }, configuration: job.configuration, status: { state: 'RUNNING' } } };
  }

  private async poll(jobId: string, timeoutMs: number): Promise<Answer> {
    const job = this.jobs.get(jobId);
    if (!job) return googleError(404, 'notFound', `Not found: Job proj-1:EU.${jobId}`);
    if (!job.complete && !job.error) await new Promise((r) => setTimeout(r, Math.min(timeoutMs, 2_000))); // BigQuery's long poll
    if (job.error) return googleError(job.error.code, job.error.reason, job.error.message);
    if (!job.complete) return { status: 200, body: { kind: 'bigquery#getQueryResultsResponse', jobReference: { projectId: 'proj-1', jobId }, jobComplete: false } };
    return { status: 200, body: { kind: 'bigquery#getQueryResultsResponse', jobReference: { projectId: 'proj-1', jobId }, jobComplete: true, totalRows: '0', numDmlAffectedRows: job.numDmlAffectedRows } };
  }

  private cancel(jobId: string): Answer {
    const job = this.jobs.get(jobId);
    if (!job) return googleError(404, 'notFound', `Not found: Job proj-1:EU.${jobId}`);
    if (!job.complete) job.error = { code: 400, reason: 'stopped', message: 'Job execution was cancelled: User requested cancellation' };
    return { status: 200, body: { kind: 'bigquery#jobCancelResponse', job: { jobReference: { projectId: 'proj-1', jobId }, status: { state: 'DONE' } } } };
  }
}

/** A REST result set the way jobs.query answers one: a schema and rows of `{f: [{v}]}`. */
export function restRows(fields: Record<string, unknown>[], rows: unknown[][]): { schema: { fields: Record<string, unknown>[] }; rows: { f: { v: unknown }[] }[] } {
  return { schema: { fields }, rows: rows.map((r) => ({ f: r.map((v) => ({ v })) })) };
}
