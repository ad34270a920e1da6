import { readdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCosts } from '@cloudact/shared/costs/export/export';
import { COST_LIMITS } from '../../../shared/src/costs/limits.js';
import { invalidateOrgCache } from '../../../shared/src/costs/cache/result-cache.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { costsApp, referenceEngine } from './support.js';

/**
 * What one request may hold (shared/src/costs/limits.ts): page size and depth, export rows,
 * reduction rows; each refused with a 422 naming the field before anything large is loaded,
 * and allowed at the bound. Parquet is streamed chunk by chunk, with nothing under /tmp.
 */
let t: Awaited<ReturnType<typeof costsApp>>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;
const dir = mkdtempSync(join(tmpdir(), 'ca-bounds-test-'));
const RANGE = 'start_date=2026-03-10&end_date=2026-03-20';
const IN_RANGE = "ChargePeriodStart >= TIMESTAMP '2026-03-09 18:30:00' AND ChargePeriodStart < TIMESTAMP '2026-03-20 18:30:00'";
type Err = { error: string; message: string; fields?: Record<string, string[]>; details?: { fields?: Record<string, string[]> } };

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_bd', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 12, rowsPerDay: 200, seed: 6, end: '2026-03-20' });
  ref = await referenceEngine(t.deps.warehouse, 'acme_bd_prod');
});
afterAll(() => { ref.close(); rmSync(dir, { recursive: true, force: true }); });

async function withLimit<T>(key: keyof typeof COST_LIMITS, value: number, f: () => Promise<T>): Promise<T> {
  const was = COST_LIMITS[key];
  COST_LIMITS[key] = value;
  try {
    return await f();
  } finally {
    COST_LIMITS[key] = was;
  }
}

const names = (b: Err) => JSON.stringify(b);

describe('page bounds of GET /costs/{org}', () => {
  it('limit above 1000 and offset above 10000 are 422 naming the field; at the bounds 200', async () => {
    const deep = await t.get<Err>(`?${RANGE}&offset=10001`);
    expect(deep.status).toBe(422);
    expect(names(deep.body)).toContain('offset');
    expect(names(deep.body)).toContain('narrow the range');
    const wide = await t.get<Err>(`?${RANGE}&limit=1001`);
    expect(wide.status).toBe(422);
    expect(names(wide.body)).toContain('limit');
    expect((await t.get(`?${RANGE}&offset=10000&limit=1000`)).status).toBe(200);
    const page = await t.get<{ data: unknown[]; pagination: { total: number } }>(`?${RANGE}&limit=1000`);
    expect(page.status).toBe(200);
    expect(page.body.data.length).toBe(Math.min(1000, page.body.pagination.total));
  });
});

describe('export bounds', () => {
  it('more rows than COST_LIMITS.exportRows is 413 naming the range and the export job route, counted before any row is read; at the bound 200', async () => {
    const [{ n }] = (await ref.rows<{ n: bigint }>(`SELECT COUNT(*) AS n FROM ledger WHERE ${IN_RANGE}`)) as [{ n: bigint }];
    const rows = Number(n);
    const over = await withLimit('exportRows', rows - 1, () => t.get<Err>(`/export?format=json&${RANGE}`));
    expect(over.status).toBe(413);
    expect(names(over.body)).toContain('end_date');
    expect(over.body.message).toContain(`at most ${rows - 1}`);
    expect(over.body.message).toContain('POST /api/v1/costs/acme_bd/exports');
    const at = await withLimit('exportRows', rows, () => t.app.fetch(new Request(`http://fn/api/v1/costs/acme_bd/export?format=csv&${RANGE}`, { headers: { 'x-api-key': t.key } })));
    expect(at.status).toBe(200);
    expect((await at.text()).trim().split('\n')).toHaveLength(rows + 1);
  });
});

describe('json export in slices', () => {
  it('a chunk encoded COST_LIMITS.jsonEncodeRows rows at a time is still one JSON array with every row once', async () => {
    const ctx = testCtx(t.deps);
    const out = await withLimit('jsonEncodeRows', 97, () => exportCosts(ctx, { orgSlug: 'acme_bd', start_date: '2026-03-10', end_date: '2026-03-20', format: 'json' }, { chunkRows: 1000 }));
    const pieces: Buffer[] = [];
    await withLimit('jsonEncodeRows', 97, async () => {
      const reader = out.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        pieces.push(Buffer.from(value));
      }
    });
    const rows = JSON.parse(Buffer.concat(pieces).toString('utf8')) as { x_SourceRecordId: string }[];
    expect(rows).toHaveLength(out.rows);
    expect(new Set(rows.map((r) => r.x_SourceRecordId)).size).toBe(out.rows);
    expect(pieces.length).toBeGreaterThan(out.rows / 97);
  });
});

describe('reduction bounds', () => {
  it('a reduction over COST_LIMITS.reducedRows is 422 naming start_date; within it 200', async () => {
    for (const view of ['/summary', '/by-provider', '/trend', '/saas-subscriptions']) {
      invalidateOrgCache(t.deps, 'acme_bd');
      const over = await withLimit('reducedRows', 5, () => t.get<Err>(`${view}?${RANGE}`));
      expect(over.status, view).toBe(422);
      expect(names(over.body), view).toContain('start_date');
      invalidateOrgCache(t.deps, 'acme_bd');
      expect((await t.get(`${view}?${RANGE}`)).status, view).toBe(200);
    }
  });
});

describe('parquet streaming', () => {
  it('is sent chunk by chunk with no file under /tmp, and reads back as one valid file with every row', async () => {
    const ctx = testCtx(t.deps);
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('cloudact-export-'));
    const out = await exportCosts(ctx, { orgSlug: 'acme_bd', start_date: '2026-03-10', end_date: '2026-03-20', format: 'parquet' }, { chunkRows: 300 });
    const reader = out.body.getReader();
    const pieces: Buffer[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(Buffer.from(value));
      expect(readdirSync(tmpdir()).filter((f) => f.startsWith('cloudact-export-'))).toEqual(before);
    }
    expect(pieces[0]!.toString('ascii')).toBe('PAR1');
    expect(pieces.length).toBeGreaterThan(5);
    const file = join(dir, 'streamed.parquet');
    writeFileSync(file, Buffer.concat(pieces));
    const [got] = await ref.rows<{ n: bigint; eff: string; ids: bigint }>(`SELECT COUNT(*) AS n, CAST(SUM(EffectiveCost) AS VARCHAR) AS eff, COUNT(DISTINCT x_SourceRecordId) AS ids FROM read_parquet('${file}')`);
    const [want] = await ref.rows<{ n: bigint; eff: string }>(`SELECT COUNT(*) AS n, CAST(SUM(EffectiveCost) AS VARCHAR) AS eff FROM ledger WHERE ${IN_RANGE}`);
    expect(Number(got!.n)).toBe(Number(want!.n));
    expect(Number(got!.ids)).toBe(Number(want!.n));
    expect(got!.eff).toBe(want!.eff);
    const [groups] = await ref.rows<{ g: bigint }>(`SELECT COUNT(DISTINCT row_group_id) AS g FROM parquet_metadata('${file}')`);
    expect(Number(groups!.g)).toBeGreaterThan(5);
    // Another reader (Polars) agrees, first and last rows included.
    const df = pl.readParquet(file);
    expect(df.height).toBe(Number(want!.n));
    expect(new Set(df.getColumn('x_SourceRecordId').toArray()).size).toBe(df.height);
  });

  it('an empty range is a valid empty file', async () => {
    const res = await t.app.fetch(new Request('http://fn/api/v1/costs/acme_bd/export?format=parquet&start_date=2025-01-01&end_date=2025-01-02', { headers: { 'x-api-key': t.key } }));
    expect(res.status).toBe(200);
    const file = join(dir, 'empty.parquet');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const [got] = await ref.rows<{ n: bigint }>(`SELECT COUNT(*) AS n FROM read_parquet('${file}')`);
    expect(Number(got!.n)).toBe(0);
  });
});
