import { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { BigQueryWarehouse, type BigQueryClientLike, type BqJobRequest, type BqQueryRequest, type BqQueryResults, type BqTableResource } from '../src/warehouse/bigquery.js';
import { insertRows } from '../src/warehouse/dml.js';
import { WarehouseUnavailableError, type Row } from '../src/warehouse/port.js';
import { withWarehouseContext } from '../src/warehouse/job-context.js';
import { centralTables, orgTables } from '../src/warehouse/schemas.js';

/**
 * The BigQuery client stubbed at the adapter's boundary: it records every request and plays back
 * scripted answers or errors, so the tests assert exactly what would be sent to BigQuery.
 */
class RecordingClient implements BigQueryClientLike {
  queries: BqQueryRequest[] = [];
  queryOptions: ({ timeoutMs?: number } | undefined)[] = [];
  jobs: BqJobRequest[] = [];
  polls: { jobId: string; timeoutMs: number }[] = [];
  cancelled: string[] = [];
  datasets: { id: string; options: { location: string } }[] = [];
  tables: { dataset: string; id: string; resource: BqTableResource }[] = [];
  deleted: { dataset: string; force: boolean }[] = [];
  failures: unknown[] = [];
  /** Scripted answers to polls, in order; once empty, a known job is complete. */
  pollAnswers: (BqQueryResults | Error)[] = [];
  /** Job ids BigQuery holds (created, or created by an attempt whose answer was lost). */
  known = new Set<string>();
  /** Called on each poll, e.g. to move a fake clock by the poll's wait. */
  onPoll: (timeoutMs: number) => void = () => {};
  rows: Row[] = [];
  affected = '0';

  private maybeFail(): void {
    const next = this.failures.shift();
    if (next) throw next;
  }
  async query(request: BqQueryRequest, options?: { timeoutMs?: number }): Promise<[Row[]]> {
    this.queries.push(request);
    this.queryOptions.push(options);
    this.maybeFail();
    return [this.rows];
  }
  async createQueryJob(request: BqJobRequest) {
    this.jobs.push(request);
    this.maybeFail();
    this.known.add(request.jobId);
    return [{ id: request.jobId }];
  }
  async getQueryResults(jobId: string, options: { location: string; timeoutMs: number }): Promise<BqQueryResults> {
    this.polls.push({ jobId, timeoutMs: options.timeoutMs });
    this.onPoll(options.timeoutMs);
    const next = this.pollAnswers.shift();
    if (next instanceof Error) throw next;
    if (!this.known.has(jobId)) throw apiError(404, `Not found: Job proj-1:EU.${jobId}`, 'notFound');
    return next ?? { complete: true, numDmlAffectedRows: this.affected };
  }
  async cancelJob(jobId: string) {
    this.cancelled.push(jobId);
    return [{}];
  }
  async createDataset(id: string, options: { location: string }) {
    this.datasets.push({ id, options });
    this.maybeFail();
    return [{}];
  }
  dataset(id: string) {
    return {
      createTable: async (tid: string, resource: BqTableResource) => {
        this.tables.push({ dataset: id, id: tid, resource });
        this.maybeFail();
        return [{}];
      },
      delete: async (o: { force: boolean }) => {
        this.deleted.push({ dataset: id, force: o.force });
        this.maybeFail();
        return [{}];
      },
    };
  }
}

const noSleep = { attempts: 4, baseDelayMs: 1, sleep: async () => {} };
const apiError = (code: number, message: string, reason?: string) => Object.assign(new Error(message), { code, errors: reason ? [{ reason, message }] : [] });

function setup() {
  const client = new RecordingClient();
  return { client, wh: new BigQueryWarehouse(client, 'proj-1', 'EU', noSleep) };
}

describe('BigQuery adapter: what it sends', () => {
  it('quotes fully qualified tables with backticks', () => {
    expect(setup().wh.table('organizations', 'org_profiles')).toBe('`proj-1.organizations.org_profiles`');
  });

  it('creates tables with day partitioning, clustering and standard types from the schema files', async () => {
    const { client, wh } = setup();
    const audit = centralTables().tables.find((t) => t.name === 'org_audit_logs')!;
    expect(await wh.createTable('organizations', audit)).toBe(true);
    const sent = client.tables[0]!;
    expect(sent.dataset).toBe('organizations');
    expect(sent.id).toBe('org_audit_logs');
    expect(sent.resource.timePartitioning).toEqual({ type: 'DAY', field: 'created_at' });
    expect(sent.resource.clustering).toEqual({ fields: ['org_slug', 'action', 'resource_type'] });
    expect(sent.resource.schema.fields.find((f) => f.name === 'details')?.type).toBe('JSON');

    await wh.createTable('organizations', centralTables().tables.find((t) => t.name === 'org_api_keys')!);
    const keys = client.tables[1]!.resource;
    expect(keys.schema.fields.find((f) => f.name === 'scopes')).toMatchObject({ type: 'STRING', mode: 'REPEATED' });
    expect(keys.schema.fields.find((f) => f.name === 'is_active')?.type).toBe('BOOL');
    expect(keys.timePartitioning).toBeUndefined();
  });

  it('leaves out partitioning for tables without a partition column', async () => {
    const { client, wh } = setup();
    await wh.createTable('organizations', centralTables().tables.find((t) => t.name === 'org_profiles')!);
    expect(client.tables[0]!.resource.timePartitioning).toBeUndefined();
    expect(client.tables[0]!.resource.clustering).toEqual({ fields: ['org_slug', 'status'] });
  });

  it('reports an existing table or dataset (409) as existed, not as an error', async () => {
    const { client, wh } = setup();
    client.failures.push(apiError(409, 'Already Exists: Table'));
    expect(await wh.createTable('organizations', { name: 't', fields: [] })).toBe(false);
    client.failures.push(apiError(409, 'Already Exists: Dataset'));
    expect(await wh.createDataset('organizations')).toBe(false);
    expect(client.datasets[0]!.options).toEqual({ location: 'EU' });
  });

  it('sends reads as named, typed parameters in optional job creation mode', async () => {
    const { client, wh } = setup();
    await wh.query({
      sql: 'SELECT * FROM t WHERE a = @a AND n = @n AND f = @f AND b = @b AND ts >= @ts AND x IN UNNEST(@xs) AND d = @d AND m = @m',
      params: { a: 'x', n: 3, f: 1.5, b: true, ts: new Date('2026-01-01T00:00:00Z'), xs: ['p', 'q'], d: '2026-01-01', m: null },
      types: { d: 'DATE', m: 'STRING' },
    });
    const sent = client.queries[0]!;
    expect(sent.jobCreationMode).toBe('JOB_CREATION_OPTIONAL');
    expect(sent.location).toBe('EU');
    expect(sent.parseJSON).toBe(true);
    expect(sent.types).toEqual({ a: 'STRING', n: 'INT64', f: 'FLOAT64', b: 'BOOL', ts: 'TIMESTAMP', xs: ['STRING'], d: 'DATE', m: 'STRING' });
    expect(sent.params?.m).toBeNull();
  });

  it('refuses an untyped null or empty array rather than letting BigQuery guess', async () => {
    const { wh } = setup();
    await expect(wh.query({ sql: 'SELECT @x', params: { x: null } })).rejects.toThrow(/null parameter needs its type/);
    await expect(wh.query({ sql: 'SELECT @x', params: { x: [] } })).rejects.toThrow(/empty array parameter needs its type/);
  });

  it('writes with DML INSERT through a query job, typed from the table schema, and counts affected rows', async () => {
    const { client, wh } = setup();
    client.affected = '1';
    const spec = centralTables().tables.find((t) => t.name === 'org_audit_logs')!;
    const n = await insertRows(wh, 'organizations', spec, [{ audit_id: 'a1', org_slug: 'acme', action: 'X', resource_type: 'ORG', details: '{"a":1}', status: 'SUCCESS', created_at: new Date(0), user_id: null }]);
    expect(n).toBe(1);
    expect(client.queries).toHaveLength(0);
    const job = client.jobs[0]!;
    expect(job.query).toMatch(/^INSERT INTO `proj-1\.organizations\.org_audit_logs` \(audit_id, org_slug, action, resource_type, details, status, created_at, user_id\) VALUES \(@r0_audit_id, /);
    expect(job.types).toMatchObject({ r0_details: 'JSON', r0_created_at: 'TIMESTAMP', r0_user_id: 'STRING' });
    expect(job.jobCreationMode).toBeUndefined();
  });

  it('adds columns with one ALTER TABLE, never REQUIRED', async () => {
    const { client, wh } = setup();
    await wh.addColumns('organizations', 'org_profiles', [{ name: 'a', type: 'INTEGER' }, { name: 'b', type: 'STRING', mode: 'REPEATED' }, { name: 's', type: 'RECORD', fields: [{ name: 'x', type: 'FLOAT' }] }]);
    expect(client.jobs[0]!.query).toBe('ALTER TABLE `proj-1.organizations.org_profiles` ADD COLUMN IF NOT EXISTS a INT64, ADD COLUMN IF NOT EXISTS b ARRAY<STRING>, ADD COLUMN IF NOT EXISTS s STRUCT<x FLOAT64>');
  });

  it('describes a dataset with one INFORMATION_SCHEMA query, and an absent one as empty', async () => {
    const { client, wh } = setup();
    client.rows = [{ table_name: 't1', column_name: 'a' }, { table_name: 't1', column_name: 'b' }, { table_name: 't2', column_name: 'c' }];
    const layout = await wh.describeDataset('organizations');
    expect(client.queries[0]!.query).toContain('`proj-1.organizations.INFORMATION_SCHEMA.COLUMNS`');
    expect([...layout.entries()]).toEqual([['t1', ['a', 'b']], ['t2', ['c']]]);
    client.failures.push(apiError(404, 'Not found: Dataset proj-1:nope'));
    expect((await wh.describeDataset('nope')).size).toBe(0);
  });

  it('drops datasets with force and tolerates absent ones', async () => {
    const { client, wh } = setup();
    client.failures.push(apiError(404, 'Not found'));
    await wh.dropDataset('gone');
    expect(client.deleted).toEqual([{ dataset: 'gone', force: true }]);
  });
});

describe('BigQuery adapter: values on the wire', () => {
  /** Runs each parameter through the client library's own converter: what really reaches BigQuery. */
  function wire(request: BqQueryRequest): Record<string, unknown> {
    const convert = (BigQuery as unknown as { valueToQueryParameter_(v: unknown, t: unknown): { parameterValue: unknown } }).valueToQueryParameter_;
    return Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, convert(v, request.types?.[k]).parameterValue]));
  }

  it('sends DATE, TIMESTAMP, BYTES, NUMERIC, JSON and arrays as BigQuery expects', () => {
    const { wh } = setup();
    const request = wh.request({
      sql: 'SELECT 1',
      params: { d: '2026-03-01', dFromDate: new Date('2026-03-01T10:00:00Z'), ts: '2026-03-01T10:00:00Z', tsDate: new Date('2026-03-01T10:00:00Z'), b: Buffer.from('hi'), n: 1.5, j: '{"a":1}', arr: ['x', 'y'], emptyArr: null, s: 'text', i: 7 },
      types: { d: 'DATE', dFromDate: 'DATE', ts: 'TIMESTAMP', n: 'NUMERIC', j: 'JSON', emptyArr: { array: 'STRING' } },
    });
    expect(wire(request)).toEqual({
      d: { value: '2026-03-01' },
      dFromDate: { value: '2026-03-01' },
      ts: { value: '2026-03-01T10:00:00.000Z' },
      tsDate: { value: '2026-03-01T10:00:00.000Z' },
      b: { value: 'aGk=' },
      n: { value: '1.5' },
      j: { value: '{"a":1}' },
      arr: { arrayValues: [{ value: 'x' }, { value: 'y' }] },
      emptyArr: { arrayValues: [] },
      s: { value: 'text' },
      i: { value: 7 },
    });
  });

  it('inserts an org key row (BYTES, REPEATED, TIMESTAMP, NULL) in a form the client sends correctly', async () => {
    const { client, wh } = setup();
    client.affected = '1';
    const spec = centralTables().tables.find((t) => t.name === 'org_api_keys')!;
    await insertRows(wh, 'organizations', spec, [{ org_api_key_id: 'k', org_slug: 'acme', org_api_key_hash: 'h', encrypted_org_api_key: Buffer.from([1, 2, 3]), is_active: true, created_at: new Date(0), expires_at: null }]);
    const sent = wire(client.jobs[0]!);
    expect(sent.r0_encrypted_org_api_key).toEqual({ value: 'AQID' });
    expect(sent.r0_created_at).toEqual({ value: '1970-01-01T00:00:00.000Z' });
    expect(sent.r0_expires_at).toEqual({ value: null });
    expect(client.jobs[0]!.types?.r0_expires_at).toBe('TIMESTAMP');
  });
});

describe('BigQuery adapter: retries', () => {
  it('retries "could not serialize" DML and succeeds', async () => {
    const { client, wh } = setup();
    client.affected = '1';
    client.failures.push(new Error('Could not serialize access to table proj-1:organizations.org_profiles due to concurrent update'));
    client.failures.push(new Error('Could not serialize access to table due to concurrent update'));
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    expect(client.jobs).toHaveLength(3);
  });

  it('retries rate limits on reads and DML', async () => {
    const { client, wh } = setup();
    client.failures.push(apiError(403, 'Exceeded rate limits', 'rateLimitExceeded'), apiError(429, 'Too many requests'));
    await wh.query({ sql: 'SELECT 1' });
    expect(client.queries).toHaveLength(3);
  });

  it('gives up after the last attempt with an error that says so', async () => {
    const { client, wh } = setup();
    for (let i = 0; i < 4; i++) client.failures.push(new Error('could not serialize access'));
    await expect(wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).rejects.toBeInstanceOf(WarehouseUnavailableError);
    expect(client.jobs).toHaveLength(4);
  });

  it('retries a transient 503 on a read but never on DML, which may already have written', async () => {
    const read = setup();
    read.client.failures.push(apiError(503, 'backend unavailable', 'backendError'));
    await read.wh.query({ sql: 'SELECT 1' });
    expect(read.client.queries).toHaveLength(2);

    const write = setup();
    write.client.failures.push(apiError(503, 'backend unavailable', 'backendError'));
    await expect(write.wh.execute({ sql: 'INSERT INTO t (a) VALUES (1)' })).rejects.toThrow(/backend unavailable/);
    expect(write.client.jobs).toHaveLength(1);
  });

  it('does not retry errors that will not go away', async () => {
    const { client, wh } = setup();
    client.failures.push(apiError(400, 'Syntax error: Unexpected keyword', 'invalidQuery'));
    await expect(wh.query({ sql: 'SELEC 1' })).rejects.toThrow(/Syntax error/);
    expect(client.queries).toHaveLength(1);
  });
});

describe('BigQuery adapter: rows come back in the port shape', () => {
  it('unwraps the client\'s timestamp and date objects', async () => {
    const { client, wh } = setup();
    const bq = new BigQuery({ projectId: 'proj-1' });
    client.rows = [{ ts: bq.timestamp('2026-01-02T03:04:05.678Z'), d: BigQuery.date('2026-01-02'), n: 5, s: 'x', arr: ['a'], nested: { ts: bq.timestamp('2026-01-02T00:00:00Z') }, nul: null }];
    const [row] = await wh.query({ sql: 'SELECT 1' });
    expect(row).toEqual({ ts: '2026-01-02T03:04:05.678Z', d: '2026-01-02', n: 5, s: 'x', arr: ['a'], nested: { ts: '2026-01-02T00:00:00.000Z' }, nul: null });
  });
});

describe('parameter guards', () => {
  it('refuses a nested array parameter, which BigQuery cannot take', async () => {
    const { wh } = setup();
    await expect(wh.query({ sql: 'SELECT @x', params: { x: [['a']] } })).rejects.toThrow(/ARRAY<ARRAY/);
  });
});

/** Each parameter through the client library's own converter, as the job request carries it. */
function onWire(request: BqQueryRequest): Record<string, { parameterType: unknown; parameterValue: unknown }> {
  const convert = (BigQuery as unknown as { valueToQueryParameter_(v: unknown, t: unknown): { parameterType: unknown; parameterValue: unknown } }).valueToQueryParameter_;
  return Object.fromEntries(Object.entries(request.params ?? {}).map(([k, v]) => [k, convert(v, request.types?.[k])]));
}

describe('BigQuery adapter: parameter types on the wire', () => {
  it('sends ARRAY<TIMESTAMP> elements with their values (a bare Date in an array went out empty)', () => {
    const { wh } = setup();
    const sent = onWire(wh.request({
      sql: 'SELECT 1',
      params: { at: [new Date('2026-01-02T03:04:05.678Z'), '2026-02-01T00:00:00Z'], none: null },
      types: { at: { array: 'TIMESTAMP' }, none: { array: 'TIMESTAMP' } },
    }));
    expect(sent.at).toEqual({
      parameterType: { type: 'ARRAY', arrayType: { type: 'TIMESTAMP' } },
      parameterValue: { arrayValues: [{ value: '2026-01-02T03:04:05.678Z' }, { value: '2026-02-01T00:00:00.000Z' }] },
    });
    expect(sent.none!.parameterValue).toEqual({ arrayValues: [] });
  });

  it('sends the cost table\'s Tags (ARRAY<STRUCT<Key, Value>>) and money columns typed from the schema file', async () => {
    const { client, wh } = setup();
    const cost = orgTables().tables.find((t) => t.name === 'cost_data_standard_1_2')!;
    client.affected = '1';
    await insertRows(wh, 'acme_prod', cost, [{
      BilledCost: '1234567890123456789.123456789', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: null }], x_UpdatedAt: new Date(0),
    }]);
    const job = client.jobs[0]!;
    expect(job.types).toMatchObject({ r0_BilledCost: 'NUMERIC', r0_Tags: [{ Key: 'STRING', Value: 'STRING' }], r0_x_UpdatedAt: 'TIMESTAMP' });
    // The library's whole-request builder, exactly what goes into configuration.query.queryParameters.
    const built = new BigQuery({ projectId: 'proj-1' }) as unknown as { buildQueryParams_(p: unknown, t: unknown): { params: { name: string; parameterType: unknown; parameterValue: unknown }[] } };
    const byName = Object.fromEntries(built.buildQueryParams_(job.params, job.types).params.map((p) => [p.name, p]));
    expect(byName.r0_Tags).toEqual({
      name: 'r0_Tags',
      parameterType: { type: 'ARRAY', arrayType: { type: 'STRUCT', structTypes: [{ name: 'Key', type: { type: 'STRING' } }, { name: 'Value', type: { type: 'STRING' } }] } },
      parameterValue: { arrayValues: [{ structValues: { Key: { value: 'env' }, Value: { value: 'prod' } } }, { structValues: { Key: { value: 'team' }, Value: { value: null } } }] },
    });
    expect(byName.r0_BilledCost).toMatchObject({ parameterType: { type: 'NUMERIC' }, parameterValue: { value: '1234567890123456789.123456789' } });
    expect(byName.r0_x_UpdatedAt!.parameterValue).toEqual({ value: '1970-01-01T00:00:00.000Z' });
  });

  it('sends a STRUCT with nested arrays and timestamps, fields in the type\'s order', () => {
    const { wh } = setup();
    const sent = onWire(wh.request({
      sql: 'SELECT @s',
      params: { s: { seen: [new Date(0)], name: 'x' } },
      types: { s: { struct: { name: 'STRING', seen: { array: 'TIMESTAMP' }, day: 'DATE' } } },
    }));
    expect(sent.s).toEqual({
      parameterType: { type: 'STRUCT', structTypes: [{ name: 'name', type: { type: 'STRING' } }, { name: 'seen', type: { type: 'ARRAY', arrayType: { type: 'TIMESTAMP' } } }, { name: 'day', type: { type: 'DATE' } }] },
      parameterValue: { structValues: { name: { value: 'x' }, seen: { arrayValues: [{ value: '1970-01-01T00:00:00.000Z' }] }, day: { value: null } } },
    });
  });

  it('sends DATETIME as DATETIME in civil form, and refuses one with a zone', () => {
    const { wh } = setup();
    const sent = onWire(wh.request({
      sql: 'SELECT 1',
      params: { dt: '2026-01-02 03:04:05.123456', fromDate: new Date('2026-01-02T03:04:05.678Z'), day: '2026-01-02', tm: '03:04:05.5' },
      types: { dt: 'DATETIME', fromDate: 'DATETIME', day: 'DATETIME', tm: 'TIME' },
    }));
    expect(sent.dt).toEqual({ parameterType: { type: 'DATETIME' }, parameterValue: { value: '2026-01-02T03:04:05.123456' } });
    expect(sent.fromDate!.parameterValue).toEqual({ value: '2026-01-02T03:04:05.678' });
    expect(sent.day!.parameterValue).toEqual({ value: '2026-01-02T00:00:00' });
    expect(sent.tm).toEqual({ parameterType: { type: 'TIME' }, parameterValue: { value: '03:04:05.5' } });
    expect(() => wh.request({ sql: 'SELECT 1', params: { dt: '2026-01-02T03:04:05Z' }, types: { dt: 'DATETIME' } })).toThrow(/without a zone/);
  });

  it('sends BIGNUMERIC as BIGNUMERIC and NUMERIC as exact strings, refusing digits that would be rounded', () => {
    const { wh } = setup();
    const big = '12345678901234567890123456789012345678.12345678901234567890123456789012345678';
    const sent = onWire(wh.request({
      sql: 'SELECT 1',
      params: { b: big, n: 0.1, e: '1e-9', z: '-0.000' },
      types: { b: 'BIGNUMERIC', n: 'NUMERIC', e: 'NUMERIC', z: 'NUMERIC' },
    }));
    expect(sent.b).toEqual({ parameterType: { type: 'BIGNUMERIC' }, parameterValue: { value: big } });
    expect(sent.n!.parameterValue).toEqual({ value: '0.1' });
    expect(sent.e!.parameterValue).toEqual({ value: '0.000000001' });
    expect(sent.z!.parameterValue).toEqual({ value: '0' });
    expect(() => wh.request({ sql: 'SELECT 1', params: { n: 0.1 + 0.2 }, types: { n: 'NUMERIC' } })).toThrow(/at most 9 fit/);
    expect(() => wh.request({ sql: 'SELECT 1', params: { n: '123456789012345678901234567890' }, types: { n: 'NUMERIC' } })).toThrow(/integer digits/);
  });

  it('refuses a NULL STRUCT parameter with a reason, and inserts a NULL STRUCT column as a NULL literal', async () => {
    const { client, wh } = setup();
    expect(() => wh.request({ sql: 'SELECT @s', params: { s: null }, types: { s: { struct: { a: 'STRING' } } } })).toThrow(/NULL STRUCT/);
    expect(() => wh.request({ sql: 'SELECT @s', params: { s: { a: 'x', b: 'y' } }, types: { s: { struct: { a: 'STRING' } } } })).toThrow(/field b/);
    client.affected = '1';
    const spec = { name: 't', fields: [{ name: 'id', type: 'STRING' as const }, { name: 'meta', type: 'RECORD' as const, fields: [{ name: 'a', type: 'STRING' as const }] }] };
    await insertRows(wh, 'd', spec, [{ id: 'x', meta: null }]);
    expect(client.jobs[0]!.query).toMatch(/VALUES \(@r0_id, NULL\)$/);
  });
});

describe('BigQuery adapter: rows come back exact', () => {
  it('answers NUMERIC and BIGNUMERIC as canonical decimal strings, decoded by the library itself', async () => {
    const { client, wh } = setup();
    const schema = { fields: [
      { name: 'n', type: 'NUMERIC' }, { name: 'b', type: 'BIGNUMERIC' }, { name: 'tiny', type: 'NUMERIC' }, { name: 'whole', type: 'NUMERIC' },
      { name: 'tags', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'Key', type: 'STRING' }, { name: 'Value', type: 'STRING' }] },
      { name: 'dt', type: 'DATETIME' }, { name: 'tm', type: 'TIME' },
    ] };
    const raw = [{ f: [
      { v: '0.3' }, { v: '12345678901234567890.123456789012345678' }, { v: '1E-9' }, { v: '100' },
      { v: [{ v: { f: [{ v: 'env' }, { v: 'prod' }] } }] },
      { v: '2026-01-02T03:04:05.123456' }, { v: '03:04:05' },
    ] }];
    client.rows = (BigQuery as unknown as { mergeSchemaWithRows_(s: unknown, r: unknown, o: unknown): Row[] }).mergeSchemaWithRows_(schema, raw, { wrapIntegers: false, parseJSON: true });
    const [row] = await wh.query({ sql: 'SELECT 1' });
    expect(row).toEqual({
      n: '0.3', b: '12345678901234567890.123456789012345678', tiny: '0.000000001', whole: '100',
      tags: [{ Key: 'env', Value: 'prod' }], dt: '2026-01-02T03:04:05.123456', tm: '03:04:05',
    });
  });
});

describe('BigQuery adapter: deadlines and job ids', () => {
  function timed(jobTimeoutMs = 50_000) {
    const client = new RecordingClient();
    let now = 1_000_000;
    client.onPoll = (ms) => { now += ms; };
    const wh = new BigQueryWarehouse(client, 'proj-1', 'EU', noSleep, { jobTimeoutMs, pollSliceMs: 10_000, confirmMs: 2_000, now: () => now });
    return { client, wh, advance: (ms: number) => { now += ms; }, now: () => now };
  }

  it('names every job after the request and gives it the configured timeout; reads carry the request id as a label', async () => {
    const { client, wh } = timed(42_000);
    await withWarehouseContext({ requestId: 'req:7.a' }, async () => {
      await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' });
      await wh.execute({ sql: 'DELETE FROM t WHERE TRUE' });
      await wh.query({ sql: 'SELECT 1' });
    });
    expect(client.jobs.map((j) => j.jobId)).toEqual([expect.stringMatching(/^ca_req_7_a_1_[0-9a-f]{12}$/), expect.stringMatching(/^ca_req_7_a_2_[0-9a-f]{12}$/)]);
    expect(client.jobs.every((j) => j.jobTimeoutMs === 42_000 && j.labels?.ca_request_id === 'req_7_a')).toBe(true);
    expect(client.polls.map((p) => p.jobId)).toEqual(client.jobs.map((j) => j.jobId));
    expect(client.queries[0]!.labels).toEqual({ ca_request_id: 'req_7_a' });
    expect(client.queryOptions[0]).toEqual({ timeoutMs: 42_000 });
    await wh.execute({ sql: 'UPDATE t SET a = 2 WHERE TRUE' });
    expect(client.jobs[2]!.jobId).toMatch(/^ca_none_\d+_[0-9a-f]{12}$/);
  });

  it('cuts a job\'s timeout to the request\'s deadline, and starts none when no time is left', async () => {
    const { client, wh, now } = timed(50_000);
    await withWarehouseContext({ requestId: 'r1', deadlineAt: now() + 8_000 }, () => wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }));
    expect(client.jobs[0]!.jobTimeoutMs).toBe(8_000);
    const err = await withWarehouseContext({ requestId: 'r2', deadlineAt: now() + 500 }, () => wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect(client.jobs).toHaveLength(1);
  });

  it('cancels a DML job that outlives its timeout and answers a retryable error, never rerunning it', async () => {
    const { client, wh } = timed(25_000);
    client.affected = '1';
    client.pollAnswers = Array.from({ length: 10 }, () => ({ complete: false }));
    client.pollAnswers.push(apiError(400, 'Job execution was cancelled: User requested cancellation', 'stopped'));
    const err = await wh.execute({ sql: 'UPDATE t SET revoked = TRUE WHERE id = @id', params: { id: 'k' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect((err as WarehouseUnavailableError).retryAfterSeconds).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/did not finish within 25000 ms and was cancelled/);
    expect(client.jobs).toHaveLength(1);
    expect(client.cancelled).toEqual([client.jobs[0]!.jobId]);
    // Polls never waited past the job's own timeout: 10 s, 10 s, then the 5 s left.
    expect(client.polls.slice(0, 3).map((p) => p.timeoutMs)).toEqual([10_000, 10_000, 5_000]);
  });

  it('reports success when the job committed before the cancel took effect', async () => {
    const { client, wh } = timed(20_000);
    client.pollAnswers = [{ complete: false }, { complete: false }, { complete: true, numDmlAffectedRows: '1' }];
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    expect(client.cancelled).toHaveLength(1);
  });

  it('treats 409 on creation as "an earlier attempt got through" and polls that job, creating no other', async () => {
    const { client, wh } = timed();
    client.affected = '3';
    // The library's own retry of jobs.insert reached BigQuery twice: the first created the job.
    client.createQueryJob = async (request) => { client.jobs.push(request); client.known.add(request.jobId); throw apiError(409, `Already Exists: Job proj-1:EU.${request.jobId}`); };
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 3 });
    expect(client.jobs).toHaveLength(1);
    expect(client.polls.map((p) => p.jobId)).toEqual([client.jobs[0]!.jobId]);
  });

  it('after a lost creation answer, finds the job by its id instead of creating it again', async () => {
    const { client, wh } = timed();
    client.affected = '1';
    const lost = apiError(503, 'backend unavailable', 'backendError');
    client.createQueryJob = async (request) => { client.jobs.push(request); client.known.add(request.jobId); throw lost; };
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    expect(client.jobs).toHaveLength(1);
  });

  it('retries polling on its own: transient poll errors do not re-create the job', async () => {
    const { client, wh } = timed();
    client.affected = '2';
    client.pollAnswers = [apiError(503, 'backend unavailable', 'backendError'), Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), { complete: false }];
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 2 });
    expect(client.jobs).toHaveLength(1);
    expect(client.polls).toHaveLength(4);
  });
});

describe('BigQuery adapter: errors the caller should retry become WarehouseUnavailableError', () => {
  const queueFull = () => apiError(400, 'Resources exceeded during query execution: Too many DML statements outstanding against table proj-1:organizations.org_profiles, limit is 20.', 'invalidQuery');

  it('reruns DML while the table\'s DML queue is full, each time as a new job, then answers retryable with Retry-After', async () => {
    const { client, wh } = setup();
    for (let i = 0; i < 4; i++) client.failures.push(queueFull());
    const err = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect((err as WarehouseUnavailableError).retryAfterSeconds).toBe(5);
    expect(new Set(client.jobs.map((j) => j.jobId)).size).toBe(4);
  });

  it('a DML queue error seen while polling reruns the statement as a new job and can succeed', async () => {
    const { client, wh } = setup();
    client.affected = '1';
    client.pollAnswers = [queueFull()];
    expect(await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).toEqual({ affectedRows: 1 });
    expect(client.jobs).toHaveLength(2);
  });

  it('resourcesExceeded is retryable for the caller at once (no rerun that would fail the same way)', async () => {
    const { client, wh } = setup();
    client.failures.push(apiError(400, 'Resources exceeded during query execution: Not enough resources for query planning', 'resourcesExceeded'));
    const err = await wh.query({ sql: 'SELECT 1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WarehouseUnavailableError);
    expect((err as WarehouseUnavailableError).retryAfterSeconds).toBe(30);
    expect(client.queries).toHaveLength(1);
    client.pollAnswers = [apiError(400, 'Resources exceeded during query execution', 'resourcesExceeded')];
    await expect(wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' })).rejects.toBeInstanceOf(WarehouseUnavailableError);
  });

  it('persistent rate limits and serialization conflicts carry Retry-After', async () => {
    const { client, wh } = setup();
    for (let i = 0; i < 4; i++) client.failures.push(apiError(403, 'Exceeded rate limits: too many table update operations for this table', 'rateLimitExceeded'));
    const rate = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect((rate as WarehouseUnavailableError).retryAfterSeconds).toBe(10);
    for (let i = 0; i < 4; i++) client.failures.push(new Error('Could not serialize access to table t due to concurrent update'));
    const conflict = await wh.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' }).catch((e: unknown) => e);
    expect((conflict as WarehouseUnavailableError).retryAfterSeconds).toBe(1);
  });

  it('a read that does not finish within its timeout is retryable, not a 500', async () => {
    const { client, wh } = setup();
    client.failures.push(new Error('The query did not complete before 50000ms'));
    await expect(wh.query({ sql: 'SELECT 1' })).rejects.toBeInstanceOf(WarehouseUnavailableError);
  });
});
