import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCosts } from '@cloudact/shared/costs/export/export';
import { planChunks } from '../../../shared/src/costs/export/chunks.js';
import { ALLOWED, NOT_NULL } from '../../../shared/src/costs/export/focus.js';
import { costColumns } from '../../../shared/src/costs/ledger/store.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { costsApp, referenceEngine } from './support.js';

/**
 * Exports read back by real readers: DuckDB opens the Parquet file, Polars parses the CSVs,
 * and the FOCUS CSV is checked against FOCUS 1.2's rules (columns, types, formats, nulls,
 * allowed values). The ledger is read in several chunks (small chunk size) to prove the seams.
 */
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;
const dir = mkdtempSync(join(tmpdir(), 'ca-export-test-'));
const RANGE = 'start_date=2026-03-01&end_date=2026-03-10';
const IN_RANGE = "ChargePeriodStart >= TIMESTAMP '2026-02-28 18:30:00' AND ChargePeriodStart < TIMESTAMP '2026-03-10 18:30:00'";

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_ex', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 25, rowsPerDay: 300, seed: 4, end: '2026-03-20' });
  ref = await referenceEngine(t.deps.warehouse, 'acme_ex_prod');
});
afterAll(() => { ref.close(); rmSync(dir, { recursive: true, force: true }); });

async function download(format: string) {
  const res = await t.app.fetch(new Request(`http://fn/api/v1/costs/acme_ex/export?format=${format}&${RANGE}`, { headers: { 'x-api-key': t.key } }));
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function sqlTotals() {
  const [r] = await ref.rows<{ n: bigint; eff: string }>(`SELECT COUNT(*) AS n, CAST(SUM(EffectiveCost) AS VARCHAR) AS eff FROM ledger WHERE ${IN_RANGE}`);
  return { n: Number(r!.n), eff: r!.eff };
}

describe('GET /costs/{org}/export', () => {
  it('parquet: a file DuckDB reads back, same rows and the exact NUMERIC sum', async () => {
    const { res, bytes } = await download('parquet');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="costs_acme_ex_2026-03-01_2026-03-10.parquet"');
    const file = join(dir, 'x.parquet');
    writeFileSync(file, bytes);
    // The reference engine is a raw DuckDB (not the adapter): it opens the file as any reader would.
    const [got] = await ref.rows<{ n: bigint; eff: string }>(`SELECT COUNT(*) AS n, CAST(SUM(EffectiveCost) AS VARCHAR) AS eff FROM read_parquet('${file}')`);
    const cols = (await ref.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).map((r) => r.column_name);
    const want = await sqlTotals();
    expect(Number(got!.n)).toBe(want.n);
    expect(got!.eff).toBe(want.eff);
    expect(cols).toEqual(costColumns());
    expect(Number(res.headers.get('x-export-rows'))).toBe(want.n);
  });

  it('csv and json: every row once across chunk seams, money as exact decimal text', async () => {
    const want = await sqlTotals();
    const csv = await download('csv');
    expect(csv.res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const df = pl.readCSV(csv.bytes, { inferSchemaLength: 0 });
    expect(df.height).toBe(want.n);
    expect(new Set(df.getColumn('x_SourceRecordId').toArray()).size).toBe(want.n);
    const json = await download('json');
    const rows = JSON.parse(json.bytes.toString('utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(want.n);
    expect(String(rows[0]!.ChargePeriodStart)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('reads in chunks of whole days (hours only inside a day larger than a chunk), each fetched only when the previous one was taken', async () => {
    const ctx = testCtx(t.deps);
    const out = await exportCosts(ctx, { orgSlug: 'acme_ex', start_date: '2026-03-01', end_date: '2026-03-10', format: 'csv' }, { chunkRows: 500 });
    const reader = out.body.getReader();
    let chunks = 0;
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += Buffer.from(value).toString('utf8');
    }
    expect(chunks).toBeGreaterThan(4);
    expect(text.trim().split('\n')).toHaveLength((await sqlTotals()).n + 1);
    // Day 0 is larger than a chunk: its hours. Days 1-2 fit together; day 3 starts the next chunk. Never across a day boundary.
    const hours = [{ hour: 10, rows: 300 }, { hour: 11, rows: 300 }, { hour: 12, rows: 900 }, { hour: 14, rows: 10 }, { hour: 30, rows: 200 }, { hour: 47, rows: 250 }, { hour: 50, rows: 100 }, { hour: 70, rows: 5 }];
    const H = (h: number) => h * 60;
    expect(planChunks(hours, 500, new Date(10 * 3_600_000 + 1800_000), new Date(71 * 3_600_000)).map((c) => [c.fromUtc.getTime() / 60_000, c.toUtc.getTime() / 60_000, c.rows]))
      .toEqual([[630, H(11), 300], [H(11), H(12), 300], [H(12), H(13), 900], [H(14), H(15), 10], [H(24), H(48), 450], [H(48), H(71), 105]]);
  });

  it('focus: FOCUS 1.2 columns, UTC timestamps, decimals, nulls only where allowed, allowed values, metadata', async () => {
    const { res, bytes } = await download('focus');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="focus-1.2_acme_ex_2026-03-01_2026-03-10.csv"');
    expect(res.headers.get('x-focus-version')).toBe('1.2');
    const df = pl.readCSV(bytes, { inferSchemaLength: 0 });
    expect(df.height).toBe((await sqlTotals()).n);
    // Column IDs: PascalCase FOCUS names, or x_ custom columns.
    for (const c of df.columns) expect(c).toMatch(/^(x_[A-Za-z]+|[A-Z][A-Za-z]+)$/);
    for (const c of [...NOT_NULL, 'ChargeClass', 'ChargeDescription', 'ChargeFrequency', 'ServiceSubcategory', 'SkuId', 'Tags']) expect(df.columns).toContain(c);
    const rec = df.toRecords() as Record<string, string | null>[];
    const ts = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    const dec = /^-?\d+(\.\d+)?$/;
    const spec = JSON.parse(JSON.stringify((await import('../../../configs/setup/organizations/onboarding/schemas/cost_data_standard_1_2.json', { with: { type: 'json' } })).default)) as { name: string; type: string }[];
    for (const r of rec) {
      for (const c of NOT_NULL) expect(r[c], c).not.toBeNull();
      for (const f of spec) {
        const v = r[f.name];
        if (v === null || v === undefined) continue;
        expect(v, f.name).not.toBe('');
        if (f.type === 'TIMESTAMP') expect(v, f.name).toMatch(ts);
        if (f.type === 'NUMERIC' || f.type === 'INTEGER') expect(v, f.name).toMatch(dec);
      }
      for (const [c, allowed] of Object.entries(ALLOWED)) if (r[c] !== null) expect(allowed, c).toContain(r[c]);
      expect(r.BillingCurrency).toMatch(/^[A-Z]{3}$/);
      expect(r.ChargePeriodStart! < r.ChargePeriodEnd!).toBe(true);
      expect(r.BillingPeriodStart! <= r.ChargePeriodStart!).toBe(true);
    }
    const meta = await t.get<{ DataGenerator: { DataGenerator: string }; Schema: { SchemaId: string; FocusVersion: string; CreationDate: string; ColumnDefinition: { ColumnName: string }[] } }>('/export/metadata');
    expect(meta.body.Schema).toMatchObject({ FocusVersion: '1.2', SchemaId: res.headers.get('x-focus-schema-id') });
    expect(meta.body.Schema.CreationDate).toMatch(ts);
    expect(meta.body.Schema.ColumnDefinition.map((c) => c.ColumnName)).toEqual(df.columns);
  });

  it('an empty range is a header-only file; a bad range is a 422 envelope, not a broken download', async () => {
    const res = await t.app.fetch(new Request('http://fn/api/v1/costs/acme_ex/export?format=csv&start_date=2025-01-01&end_date=2025-01-02', { headers: { 'x-api-key': t.key } }));
    expect((await res.text()).trim()).toBe(costColumns().join(','));
    const bad = await t.get<{ error: string }>('/export?format=csv&start_date=2026-03-10&end_date=2026-03-01');
    expect(bad.status).toBe(422);
  });
});
