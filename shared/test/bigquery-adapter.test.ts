import { BigQuery } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import { BigQueryWarehouse, type BigQueryClientLike, type BqQueryRequest, type BqTableResource } from '../src/warehouse/bigquery.js';
import { insertRows } from '../src/warehouse/dml.js';
import { WarehouseUnavailableError, type Row } from '../src/warehouse/port.js';
import { centralTables } from '../src/warehouse/schemas.js';

/**
 * The BigQuery client stubbed at the adapter's boundary: it records every request and plays back
 * scripted answers or errors, so the tests assert exactly what would be sent to BigQuery.
 */
class RecordingClient implements BigQueryClientLike {
  queries: BqQueryRequest[] = [];
  jobs: BqQueryRequest[] = [];
  datasets: { id: string; options: { location: string } }[] = [];
  tables: { dataset: string; id: string; resource: BqTableResource }[] = [];
  deleted: { dataset: string; force: boolean }[] = [];
  failures: unknown[] = [];
  rows: Row[] = [];
  affected = '0';

  private maybeFail(): void {
    const next = this.failures.shift();
    if (next) throw next;
  }
  async query(request: BqQueryRequest): Promise<[Row[]]> {
    this.queries.push(request);
    this.maybeFail();
    return [this.rows];
  }
  async createQueryJob(request: BqQueryRequest) {
    this.jobs.push(request);
    this.maybeFail();
    const affected = this.affected;
    return [{ getQueryResults: async (): Promise<[Row[], unknown, { numDmlAffectedRows: string }]> => [[], undefined, { numDmlAffectedRows: affected }] }] as [{ getQueryResults(): Promise<[Row[], unknown, { numDmlAffectedRows: string }]> }];
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
