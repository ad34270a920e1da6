import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { readColumnar } from '../analytics/frame.js';
import { releaseFrames } from '../analytics/release.js';
import { resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { chunkCosts, costSpec, countCostsByHour, type CostScope } from '../ledger/store.js';
import { planChunks, type Chunk } from './chunks.js';
import { encodeChunk, type ExportFormat } from './encode.js';
import { FOCUS_VERSION, focusMetadata } from './focus.js';

/** Rows read from the warehouse per chunk: what one step of the stream holds in memory. */
export const EXPORT_CHUNK_ROWS = 50_000;

export interface CostExport {
  filename: string;
  contentType: string;
  headers: Record<string, string>;
  rows: number;
  body: ReadableStream<Uint8Array>;
}

const TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8', focus: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8', parquet: 'application/vnd.apache.parquet',
};

/** The FOCUS schema id: a digest of the column definitions, so it changes exactly when they do. */
export function focusSchemaId(): string {
  return createHash('sha256').update(JSON.stringify(focusMetadata(costSpec().fields, '', new Date(0)).Schema.ColumnDefinition)).digest('hex').slice(0, 32);
}

/**
 * GET /costs/{org}/export: the ledger rows of local days start..end as a stream. The range is
 * counted per UTC hour first (one small read), then read in chunks of about
 * EXPORT_CHUNK_ROWS rows, each fetched only when the consumer has taken the previous one (a
 * pull stream: a slow client slows the reads, nothing piles up). CSV, JSON and FOCUS are
 * encoded chunk by chunk; Parquet needs its footer last, so the chunks go to a temporary
 * directory on disk and one file is written from them by a streaming sink, then streamed from
 * disk and deleted. Amounts stay in their BillingCurrency; timestamps are UTC.
 */
export async function exportCosts(ctx: Ctx, q: CostQuery & { format: ExportFormat }, chunkRows = EXPORT_CHUNK_ROWS): Promise<CostExport> {
  const scope = await resolveScope(ctx, q);
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
  const base: CostScope = { datasetId: scope.datasetId, fromUtc, toUtc, providers: scope.providers, serviceCategories: scope.serviceCategories };
  const chunks = planChunks(await countCostsByHour(ctx.warehouse, base), chunkRows, fromUtc, toUtc);
  const rows = chunks.reduce((a, c) => a + c.rows, 0);
  const name = `${q.format === 'focus' ? 'focus-1.2' : 'costs'}_${scope.orgSlug}_${scope.start}_${scope.end}.${q.format === 'focus' ? 'csv' : q.format}`;
  const headers: Record<string, string> = { 'x-export-rows': String(rows) };
  if (q.format === 'focus') {
    headers['x-focus-version'] = FOCUS_VERSION;
    headers['x-focus-schema-id'] = focusSchemaId();
    headers.link = `</api/v1/costs/${scope.orgSlug}/export/metadata>; rel="describedby"`;
  }
  const read = (c: Chunk) => chunkCosts(ctx.warehouse, { ...base, fromUtc: c.fromUtc, toUtc: c.toUtc });
  const body = q.format === 'parquet' ? await parquetStream(chunks, read) : textStream(chunks, read, q.format);
  return { filename: name, contentType: TYPES[q.format], headers, rows, body };
}

function textStream(chunks: Chunk[], read: (c: Chunk) => ReturnType<typeof chunkCosts>, format: Exclude<ExportFormat, 'parquet'>): ReadableStream<Uint8Array> {
  let i = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i >= chunks.length) {
        if (format === 'json') controller.enqueue(Buffer.from(started ? ']\n' : '[]\n'));
        else if (!started) controller.enqueue(Buffer.from(format === 'focus' || format === 'csv' ? `${headerLine()}\n` : ''));
        controller.close();
        return;
      }
      const df = readColumnar(await read(chunks[i]!));
      try {
        const bytes = encodeChunk(df, format, i === 0);
        if (format === 'json' && !started) controller.enqueue(Buffer.from('['));
        started = true;
        controller.enqueue(bytes);
      } finally {
        releaseFrames(df);
      }
      i++;
    },
  }, { highWaterMark: 1 });
}

/** An empty range still gets its header row. */
function headerLine(): string {
  return costSpec().fields.map((f) => f.name).join(',');
}

async function parquetStream(chunks: Chunk[], read: (c: Chunk) => ReturnType<typeof chunkCosts>): Promise<ReadableStream<Uint8Array>> {
  const dir = await mkdtemp(join(tmpdir(), 'cloudact-export-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    await mkdir(join(dir, 'parts'));
    for (const [i, c] of chunks.entries()) {
      const part = join(dir, 'parts', `${String(i).padStart(6, '0')}.parquet`);
      const res = await read(c);
      if (res.format === 'parquet') await writeFile(part, res.data);
      else {
        const df = readColumnar(res);
        df.writeParquet(part, { compression: 'zstd' });
        releaseFrames(df);
      }
    }
    const out = join(dir, 'export.parquet');
    if (chunks.length) await pl.scanParquet(join(dir, 'parts', '*.parquet')).sinkParquet(out, { compression: 'zstd', maintainOrder: true }).collect();
    else await writeFile(out, (await read({ fromUtc: new Date(0), toUtc: new Date(0), rows: 0 })).data);
    const file = createReadStream(out, { highWaterMark: 256 * 1024 });
    file.once('close', () => void cleanup());
    return Readable.toWeb(file) as unknown as ReadableStream<Uint8Array>;
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** GET /costs/{org}/export/metadata: the FOCUS metadata the FOCUS export's `x-focus-schema-id` names. */
export function exportMetadata(ctx: Pick<Ctx, 'clock'>) {
  return focusMetadata(costSpec().fields, focusSchemaId(), ctx.clock());
}
