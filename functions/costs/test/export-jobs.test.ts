import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { COST_TABLE, costColumns, exportDataSelect } from '../../../shared/src/costs/ledger/store.js';
import { exportDataSql } from '../../../shared/src/costs/exports/gcs.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { rawDuck as duck } from '../../../shared/test/support/duck-reference.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';
import { ZetaSqlChecker } from '../../../shared/test/support/zetasql-check.js';
import { URL_ENV } from '../../../shared/test/support/zetasql-mode.js';
import { routes } from '../src/routes.js';

/**
 * Export jobs round-trip on the embedded warehouse: start (202), poll, download through the
 * signed URL (no key), read back by DuckDB and compared with the ledger in SQL. The job runs out
 * of the request, so a year-long export never meets the gateway's 60 s deadline.
 */
type Job = { export_id: string; status: 'RUNNING' | 'DONE' | 'FAILED'; rows: number; error: string | null; columns: string[]; download_url: string | null; files: { name: string; bytes: number; download_url: string }[]; status_url: string; detail?: string };

const RANGE = { start_date: '2026-03-01', end_date: '2026-03-14' };
const dir = mkdtempSync(join(tmpdir(), 'ca-export-jobs-'));
let clock: ReturnType<typeof settableClock>;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;
let other: string;
let deps: Awaited<ReturnType<typeof testDeps>>;

async function call<T>(method: string, path: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: T; bytes: Uint8Array; headers: Headers }> {
  const headers: Record<string, string> = apiKey ? { 'x-api-key': apiKey } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.fetch(new Request(`http://fn${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status >= 500) console.error(path, JSON.stringify(deps.logger.lines.filter((l) => l.severity === 'ERROR').slice(-3)));
  const text = Buffer.from(bytes).toString('utf8');
  let parsed: unknown = null;
  try { parsed = JSON.parse(text); } catch { /* a file */ }
  return { status: res.status, body: parsed as T, bytes, headers: res.headers };
}

async function finished(job: Job): Promise<Job> {
  for (let i = 0; i < 200; i++) {
    const s = await call<Job>('GET', job.status_url);
    expect(s.status).toBe(200);
    if (s.body.status !== 'RUNNING') return s.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('export did not finish');
}

let ledger: { n: number; cents: number };

beforeAll(async () => {
  clock = settableClock(Date.parse('2026-03-20T12:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', EXPORT_DIR: dir }, { clock: clock.clock });
  await bootstrap(deps);
  key = (await onboard(deps, 'exp_co', { default_currency: 'USD', default_timezone: 'Asia/Kolkata' } as never)).api_key;
  other = (await onboard(deps, 'exp_other', { default_currency: 'USD', default_timezone: 'UTC' } as never)).api_key;
  await seedCosts(deps, { orgSlug: 'exp_co', days: 20, rowsPerDay: 40, seed: 4, end: '2026-03-19' });
  app = buildFunctionApp('costs', routes, deps);
  // Kolkata days 1-14 March: 2026-02-28T18:30Z to 2026-03-14T18:30Z.
  const [row] = await deps.warehouse.query({
    sql: `SELECT COUNT(*) AS n, CAST(ROUND(SUM(EffectiveCost) * 100) AS INT64) AS cents FROM ${deps.warehouse.table('exp_co_prod', COST_TABLE)} WHERE ChargePeriodStart >= @f AND ChargePeriodStart < @t`,
    params: { f: new Date('2026-02-28T18:30:00Z'), t: new Date('2026-03-14T18:30:00Z') }, types: { f: 'TIMESTAMP', t: 'TIMESTAMP' },
  });
  ledger = { n: Number(row!.n), cents: Number(row!.cents) };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cost export jobs', () => {
  it('parquet: 202, poll, download by the signed URL without a key, read back by DuckDB: every row, to the cent', async () => {
    const start = await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'parquet', ...RANGE });
    expect(start.status, JSON.stringify(start.body)).toBe(202);
    expect(start.body).toMatchObject({ status: 'RUNNING', rows: ledger.n, status_url: `/api/v1/costs/exp_co/exports/${start.body.export_id}` });
    const done = await finished(start.body);
    expect(done.status, done.error ?? '').toBe('DONE');
    expect(done.files).toHaveLength(1);
    const file = await call<null>('GET', done.download_url!, undefined, null);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(file.bytes.byteLength).toBe(done.files[0]!.bytes);
    const path = join(dir, 'read-back.parquet');
    writeFileSync(path, file.bytes);
    const [back] = await duck(`SELECT COUNT(*) AS n, CAST(ROUND(SUM(EffectiveCost) * 100) AS BIGINT) AS cents FROM read_parquet('${path}')`);
    expect({ n: Number(back!.n), cents: Number(back!.cents) }).toEqual(ledger);
    const cols = await duck(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    expect(cols.map((c) => c.column_name)).toEqual(costColumns());
  });

  it('csv with chosen columns (a comma list or an array), and focus with every column', async () => {
    const csv = await finished((await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'csv', ...RANGE, columns: 'ServiceName,BilledCost' })).body);
    expect(csv.status, csv.error ?? '').toBe('DONE');
    expect(csv.columns).toEqual(['ServiceName', 'BilledCost']);
    const text = Buffer.from((await call<null>('GET', csv.download_url!, undefined, null)).bytes).toString('utf8').trim().split('\n');
    expect(text[0]).toBe('ServiceName,BilledCost');
    expect(text).toHaveLength(ledger.n + 1);
    const arr = await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'csv', ...RANGE, columns: ['EffectiveCost'] });
    expect(arr.body.columns).toEqual(['EffectiveCost']);
    const focus = await finished((await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'focus', ...RANGE, columns: ['ServiceName'] })).body);
    expect(focus.status).toBe('DONE');
    expect(focus.columns).toEqual(costColumns());
    await finished(arr.body);
  });

  it('a download URL is the credential: forged, for another export or expired is 403; another org never sees the job', async () => {
    const a = await finished((await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'csv', ...RANGE })).body);
    const b = await finished((await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'csv', ...RANGE })).body);
    expect([a.status, a.error, b.status, b.error]).toEqual(['DONE', null, 'DONE', null]);
    const url = new URL(a.download_url!, 'http://fn');
    const token = url.searchParams.get('token')!;
    const [payload, sig] = token.split('.');
    const forged = `${payload}.${sig!.slice(0, -2)}${sig!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await call('GET', `${url.pathname}?token=${forged}`, undefined, null)).status).toBe(403);
    expect((await call('GET', `/api/v1/costs/exp_co/exports/${b.export_id}/download?token=${token}`, undefined, null)).status).toBe(403);
    expect((await call('GET', a.download_url!, undefined, null)).status).toBe(200);
    expect((await call('GET', `/api/v1/costs/exp_other/exports/${a.export_id}`, undefined, other)).status).toBe(404);
    expect((await call('GET', `/api/v1/costs/exp_co/exports/${a.export_id}`, undefined, other)).status).toBe(403);
    clock.advance(3600_000 + 1000);
    expect((await call('GET', a.download_url!, undefined, null)).status).toBe(403);
    // The status route signs a fresh one.
    const again = await call<Job>('GET', a.status_url);
    expect((await call('GET', again.body.download_url!, undefined, null)).status).toBe(200);
  });

  it('a status read while the job records its end never fails (the record is replaced whole)', async () => {
    const jobs = await Promise.all(Array.from({ length: 6 }, async () => (await call<Job>('POST', '/api/v1/costs/exp_co/exports', { format: 'csv', ...RANGE, columns: ['ServiceName'] })).body));
    for (const job of jobs) {
      for (;;) {
        const s = await call<Job>('GET', job.status_url);
        expect(s.status).toBe(200);
        if (s.body.status !== 'RUNNING') break;
      }
    }
  });

  it('bad input is 422 naming the field; an unknown export is 404', async () => {
    for (const [body, field] of [
      [{ format: 'xlsx', ...RANGE }, 'format'],
      [{ format: 'csv', ...RANGE, columns: ['ServiceName', 'Nope'] }, 'columns'],
      [{ format: 'csv', start_date: '2026-03-10', end_date: '2026-03-01' }, 'end_date'],
      [{ format: 'csv', ...RANGE, surprise: 1 }, 'surprise'],
    ] as const) {
      const res = await call<Job>('POST', '/api/v1/costs/exp_co/exports', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.detail).toContain(field);
    }
    expect((await call<Job>('GET', '/api/v1/costs/exp_co/exports/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await call<Job>('GET', '/api/v1/costs/exp_co/exports/not-an-id')).status).toBe(422);
  });

  it("the BigQuery adapter's EXPORT DATA: its SELECT is one BigQuery's analyzer accepts, for every format; its options as BigQuery documents them", async () => {
    // The analyzer build here refuses EXPORT DATA itself ("Statement not supported"), so the SELECT is analyzed alone.
    const checker = new ZetaSqlChecker({ url: process.env[URL_ENV]!, mode: 'fail' });
    const ref = { orgId: 'org-1', orgSlug: 'exp_co', exportId: '00000000-0000-4000-8000-000000000000' };
    const scope = { datasetId: 'exp_co_prod', fromUtc: new Date('2026-03-01T00:00:00Z'), toUtc: new Date('2026-03-02T00:00:00Z'), providers: ['OpenAI'] };
    for (const format of ['csv', 'parquet', 'focus'] as const) await checker.checkStatement(exportDataSelect(deps.warehouse, scope, costColumns(), format), new Map());
    expect(exportDataSql('ca-exports', ref, 'parquet', 'SELECT 1')).toBe(`EXPORT DATA OPTIONS (uri = 'gs://ca-exports/org-1/${ref.exportId}/costs-*.parquet', format = 'PARQUET', overwrite = true, compression = 'ZSTD') AS SELECT 1`);
    expect(exportDataSql('ca-exports', ref, 'focus', 'SELECT 1')).toBe(`EXPORT DATA OPTIONS (uri = 'gs://ca-exports/org-1/${ref.exportId}/costs-*.csv', format = 'CSV', overwrite = true, header = true) AS SELECT 1`);
  });

  it("the BigQuery adapter's CSV cells are the synchronous export's: run on DuckDB, its SELECT gives the same text for timestamps, empty and formula cells", async () => {
    const wh = deps.warehouse;
    await wh.execute({
      sql: `INSERT INTO ${wh.table('exp_other_prod', COST_TABLE)} (BilledCost, EffectiveCost, ListCost, BillingCurrency, ProviderName, ServiceName, ResourceName, ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId, SubAccountName)
            VALUES (1, 1, 1, 'USD', 'Google Cloud', '=HYPERLINK("x")', '-12.5', TIMESTAMP '2026-03-05 01:02:03', TIMESTAMP '2026-03-05 02:00:00', 'cells-1', '')`,
    });
    const scope = { datasetId: 'exp_other_prod', fromUtc: new Date('2026-03-05T01:00:00Z'), toUtc: new Date('2026-03-05T01:10:00Z') };
    // Tags' subquery over UNNEST is BigQuery's alone (DuckDB's UNNEST alias is not a row): analyzed above, not run here.
    const [row] = await wh.query(exportDataSelect(wh, scope, ['ServiceName', 'ResourceName', 'ChargePeriodStart', 'SubAccountName'], 'csv'));
    expect(row).toEqual({ ServiceName: `'=HYPERLINK("x")`, ResourceName: '-12.5', ChargePeriodStart: '2026-03-05T01:02:03Z', SubAccountName: null });
  });
});
