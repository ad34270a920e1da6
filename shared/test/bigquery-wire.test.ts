import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BigQueryWarehouse, type JobPolicy } from '../src/warehouse/bigquery.js';
import { bigQueryClient } from '../src/warehouse/bigquery-client.js';
import { insertRows } from '../src/warehouse/dml.js';
import { withWarehouseContext } from '../src/warehouse/job-context.js';
import { WarehouseUnavailableError } from '../src/warehouse/port.js';
import { orgTables } from '../src/warehouse/schemas.js';
import { FakeBigQueryRest, googleError, restRows } from './support/fake-bigquery-rest.js';

/**
 * The production glue (bigquery-client.ts) and the adapter, through the real client library
 * over HTTP to a local server speaking BigQuery's REST API: what these tests assert is the JSON
 * that would reach BigQuery and the library's own handling of BigQuery's answers.
 */
const fast = { attempts: 3, baseDelayMs: 1, sleep: async () => {} };

let rest: FakeBigQueryRest;
let url: string;

beforeEach(async () => {
  rest = new FakeBigQueryRest();
  url = await rest.start();
});
afterEach(async () => {
  await rest.close();
});

function warehouse(jobs: Partial<JobPolicy> = {}, clientOptions = {}) {
  return new BigQueryWarehouse(bigQueryClient(rest.client(url, clientOptions)), 'proj-1', 'EU', fast, { jobTimeoutMs: 30_000, ...jobs });
}

type Param = { name: string; parameterType: unknown; parameterValue: unknown };

describe('BigQuery on the wire: jobs', () => {
  it('inserts a cost row as one job named after the request, with a timeout and every parameter type intact', async () => {
    const wh = warehouse();
    const cost = orgTables().tables.find((t) => t.name === 'cost_data_standard_1_2')!;
    const n = await withWarehouseContext({ requestId: '3f1c9a7e-0000-4000-8000-000000000001' }, () => insertRows(wh, 'acme_prod', cost, [{
      BilledCost: '0.1', ListCost: '12345678901234567890.123456789', Tags: [{ Key: 'env', Value: 'prod' }], x_UpdatedAt: new Date('2026-01-02T03:04:05.678Z'), ChargePeriodStart: new Date('2026-01-01T18:30:00Z'),
    }]));
    expect(n).toBe(1);
    const [insert] = rest.inserted();
    const body = insert!.body as { jobReference: { jobId: string; location: string }; configuration: { jobTimeoutMs: string; labels: Record<string, string>; query: { query: string; queryParameters: Param[]; useLegacySql: boolean } } };
    expect(body.jobReference.jobId).toMatch(/^ca_3f1c9a7e-0000-4000-8000-000000000001_1_[0-9a-f]{12}$/);
    expect(body.jobReference.location).toBe('EU');
    expect(body.configuration.jobTimeoutMs).toBe('30000');
    expect(body.configuration.labels).toEqual({ ca_request_id: '3f1c9a7e-0000-4000-8000-000000000001' });
    expect(body.configuration.query.useLegacySql).toBe(false);
    const p = Object.fromEntries(body.configuration.query.queryParameters.map((q) => [q.name, q]));
    expect(p.r0_BilledCost).toMatchObject({ parameterType: { type: 'NUMERIC' }, parameterValue: { value: '0.1' } });
    expect(p.r0_ListCost).toMatchObject({ parameterValue: { value: '12345678901234567890.123456789' } });
    expect(p.r0_Tags).toMatchObject({
      parameterType: { type: 'ARRAY', arrayType: { type: 'STRUCT', structTypes: [{ name: 'Key', type: { type: 'STRING' } }, { name: 'Value', type: { type: 'STRING' } }] } },
      parameterValue: { arrayValues: [{ structValues: { Key: { value: 'env' }, Value: { value: 'prod' } } }] },
    });
    expect(p.r0_x_UpdatedAt).toMatchObject({ parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2026-01-02T03:04:05.678Z' } });
    // FOCUS 1.2 charge periods are UTC instants (TIMESTAMP), so local days can be cut from them.
    expect(p.r0_ChargePeriodStart).toMatchObject({ parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '2026-01-01T18:30:00.000Z' } });
    // Results were fetched from that job, not by running the statement again.
    expect(rest.requests.filter((r) => r.path.endsWith(`/queries/${body.jobReference.jobId}`))).toHaveLength(1);
  });

  it('sends ARRAY<TIMESTAMP>, DATETIME and BIGNUMERIC parameters as themselves', async () => {
    const wh = warehouse();
    await wh.execute({
      sql: 'DELETE FROM t WHERE at IN UNNEST(@at) AND dt = @dt AND b = @b',
      params: { at: [new Date(0), new Date(1000)], dt: '2026-01-02 03:04:05', b: '0.00000000000000000001' },
      types: { at: { array: 'TIMESTAMP' }, dt: 'DATETIME', b: 'BIGNUMERIC' },
    });
    const params = (rest.inserted()[0]!.body as { configuration: { query: { queryParameters: Param[] } } }).configuration.query.queryParameters;
    expect(params).toEqual([
      { name: 'at', parameterType: { type: 'ARRAY', arrayType: { type: 'TIMESTAMP' } }, parameterValue: { arrayValues: [{ value: '1970-01-01T00:00:00.000Z' }, { value: '1970-01-01T00:00:01.000Z' }] } },
      { name: 'dt', parameterType: { type: 'DATETIME' }, parameterValue: { value: '2026-01-02T03:04:05' } },
      { name: 'b', parameterType: { type: 'BIGNUMERIC' }, parameterValue: { value: '0.00000000000000000001' } },
    ]);
  });

  it('cancels a DML job still running at its timeout and answers a retryable error; BigQuery saw one job', async () => {
    const wh = warehouse({ jobTimeoutMs: 1_200, pollSliceMs: 400, confirmMs: 300 });
    rest.settle = () => {}; // never finishes on its own
    const started = Date.now();
    const err = await withWarehouseContext({ requestId: 'slow' }, () => wh.execute({ sql: 'UPDATE t SET revoked_at = @now WHERE id = @id', params: { now: new Date(0), id: 'k1' } })).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect((err as WarehouseUnavailableError).retryAfterSeconds).toBe(5);
    const [insert] = rest.inserted();
    const jobId = (insert!.body as { jobReference: { jobId: string } }).jobReference.jobId;
    expect((insert!.body as { configuration: { jobTimeoutMs: string } }).configuration.jobTimeoutMs).toBe('1200');
    expect(rest.requests.filter((r) => r.method === 'POST' && r.path.endsWith(`/jobs/${jobId}/cancel`))).toHaveLength(1);
    expect(rest.jobs.get(jobId)!.error?.reason).toBe('stopped');
    expect(rest.inserted()).toHaveLength(1);
    expect(took).toBeGreaterThanOrEqual(1_100);
    expect(took).toBeLessThan(1_200 + 2_000);
  });

  it('after a lost answer to jobs.insert, fetches the job by its id and creates no second one', async () => {
    const wh = warehouse();
    rest.onInsert = (_job, attempt) => (attempt === 1 ? googleError(503, 'backendError', 'Backend error') : undefined);
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    expect(rest.inserted()).toHaveLength(1);
  });

  it('with the library\'s own retry of jobs.insert (production default), a 409 on the retry means the first got through', async () => {
    const wh = warehouse({}, { retryOptions: { autoRetry: true, maxRetries: 2, retryDelayMultiplier: 1.01, maxRetryDelay: 0.05, totalTimeout: 10 } });
    rest.onInsert = (_job, attempt) => (attempt === 1 ? googleError(503, 'backendError', 'Backend error') : undefined);
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    const ids = rest.inserted().map((r) => (r.body as { jobReference: { jobId: string } }).jobReference.jobId);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(new Set(ids).size).toBe(1);
    expect(rest.jobs.size).toBe(1);
  });

  it('a creation that never reached BigQuery answers retryable, without guessing', async () => {
    const wh = warehouse();
    rest.onInsert = () => googleError(502, 'backendError', 'Bad gateway'); // refused: no job stored
    const err = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect((err as Error).message).toMatch(/did not take job/);
    expect(rest.jobs.size).toBe(0);
  });

  it('maps "Too many DML statements outstanding" and resourcesExceeded to WarehouseUnavailableError with Retry-After', async () => {
    const wh = warehouse();
    rest.onInsert = () => googleError(400, 'invalidQuery', 'Resources exceeded during query execution: Too many DML statements outstanding against table proj-1:organizations.org_profiles, limit is 20.');
    const queued = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect(queued).toBeInstanceOf(WarehouseUnavailableError);
    expect((queued as WarehouseUnavailableError).retryAfterSeconds).toBe(5);
    expect(rest.inserted()).toHaveLength(fast.attempts);

    rest.onInsert = () => undefined;
    rest.settle = (job) => { job.error = { code: 400, reason: 'resourcesExceeded', message: 'Resources exceeded during query execution: The query could not be executed in the allotted memory.' }; };
    const heavy = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect(heavy).toBeInstanceOf(WarehouseUnavailableError);
    expect((heavy as WarehouseUnavailableError).retryAfterSeconds).toBe(30);
  });
});

describe('BigQuery on the wire: reads', () => {
  it('runs reads through jobs.query with a wait bound and the request id as a label, and answers exact decimals', async () => {
    const wh = warehouse({ jobTimeoutMs: 20_000 });
    rest.onQuery = () => ({
      status: 200,
      body: {
        jobComplete: true,
        jobReference: { projectId: 'proj-1', jobId: 'server-side', location: 'EU' },
        ...restRows(
          [{ name: 'total', type: 'NUMERIC' }, { name: 'big', type: 'BIGNUMERIC' }, { name: 'Tags', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'Key', type: 'STRING' }, { name: 'Value', type: 'STRING' }] }, { name: 'n', type: 'INTEGER' }],
          [['0.3', '1.00000000000000000000000000000000000001', [{ v: { f: [{ v: 'env' }, { v: null }] } }], '7']],
        ),
      },
    });
    const rows = await withWarehouseContext({ requestId: 'Req-ABC' }, () => wh.query({ sql: 'SELECT SUM(BilledCost) AS total FROM t WHERE a = @a', params: { a: 'x' } }));
    expect(rows).toEqual([{ total: '0.3', big: '1.00000000000000000000000000000000000001', Tags: [{ Key: 'env', Value: null }], n: 7 }]);
    const sent = rest.requests.find((r) => r.path.endsWith('/queries') && r.method === 'POST')!.body as Record<string, unknown>;
    expect(sent).toMatchObject({ timeoutMs: 20_000, labels: { ca_request_id: 'req-abc' }, jobCreationMode: 'JOB_CREATION_OPTIONAL', location: 'EU' });
  });

  it('a read that does not finish in time is retryable, not a 500', async () => {
    const wh = warehouse({ jobTimeoutMs: 1_000 });
    rest.onQuery = () => ({ status: 200, body: { jobComplete: false, jobReference: { projectId: 'proj-1', jobId: 'slow-read', location: 'EU' } } });
    await expect(wh.query({ sql: 'SELECT 1' })).rejects.toBeInstanceOf(WarehouseUnavailableError);
  });
});
