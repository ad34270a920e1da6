import { createHash } from 'node:crypto';
import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { AppError } from '../../errors.js';
import { readColumnar } from '../analytics/frame.js';
import { releaseBytes, releaseFrames } from '../analytics/release.js';
import { costScope, resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { chunkCosts, costColumns, costSpec, countCostsByHour, type CostScope } from '../ledger/store.js';
import { COST_LIMITS } from '../limits.js';
import { planChunks, type Chunk } from './chunks.js';
import { encodeChunk, type ExportFormat } from './encode.js';
import { FOCUS_VERSION, focusMetadata } from './focus.js';
import { ParquetConcat } from './parquet-stream.js';

/** Rows read from the warehouse per chunk: what one step of the stream holds in memory. */
export const EXPORT_CHUNK_ROWS = COST_LIMITS.exportChunkRows;

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

/** How one export is cut and bounded: rows per chunk, rows in all, and its columns (default all; FOCUS always all). */
export interface ExportOptions { chunkRows?: number; maxRows?: number; columns?: readonly string[] }

/**
 * GET /costs/{org}/export: the ledger rows of local days start..end as a stream. The range is
 * counted per UTC hour first (one small read); more than `maxRows` (COST_LIMITS.exportRows for
 * the synchronous route) is a 413 naming the export job route, before any row is read. Then the
 * rows are read in chunks of about EXPORT_CHUNK_ROWS rows along day partitions (chunks.ts), each
 * fetched only when the consumer has taken the previous one (a pull stream: a slow client slows
 * the reads, nothing piles up). CSV and FOCUS are encoded a chunk at a time, JSON
 * COST_LIMITS.jsonEncodeRows rows at a time; Parquet is written one chunk's row groups at a time,
 * with the footer of all of them last (parquet-stream.ts): no file under /tmp, no whole-file copy.
 * Amounts stay in their BillingCurrency; timestamps are UTC. The local export job writes this same
 * stream to a file (exports/local.ts).
 */
export async function exportCosts(ctx: Ctx, q: CostQuery & { format: ExportFormat }, opts: ExportOptions = {}): Promise<CostExport> {
  const chunkRows = opts.chunkRows ?? EXPORT_CHUNK_ROWS;
  const maxRows = opts.maxRows ?? COST_LIMITS.exportRows;
  const columns = q.format === 'focus' || !opts.columns?.length ? costColumns() : [...opts.columns];
  const scope = await resolveScope(ctx, q);
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
  const base: CostScope = costScope(scope, fromUtc, toUtc);
  const chunks = planChunks(await countCostsByHour(ctx.warehouse, base), chunkRows, fromUtc, toUtc);
  const rows = chunks.reduce((a, c) => a + c.rows, 0);
  if (rows > maxRows) {
    const message = `The export holds ${rows} rows; a synchronous export holds at most ${maxRows}: start an export job (POST /api/v1/costs/${scope.orgSlug}/exports, then poll GET .../exports/{export_id} for its download URL), or narrow the range (start_date/end_date) or filter by providers or service_categories`;
    throw new AppError('PAYLOAD_TOO_LARGE', message, { fields: { end_date: [message] }, rows, max_rows: maxRows, export_jobs: `/api/v1/costs/${scope.orgSlug}/exports` });
  }
  const name = `${q.format === 'focus' ? 'focus-1.2' : 'costs'}_${scope.orgSlug}_${scope.start}_${scope.end}.${q.format === 'focus' ? 'csv' : q.format}`;
  const headers: Record<string, string> = { 'x-export-rows': String(rows) };
  if (q.format === 'focus') {
    headers['x-focus-version'] = FOCUS_VERSION;
    headers['x-focus-schema-id'] = focusSchemaId();
    headers.link = `</api/v1/costs/${scope.orgSlug}/export/metadata>; rel="describedby"`;
  }
  const read = (c: Chunk) => chunkCosts(ctx.warehouse, { ...base, fromUtc: c.fromUtc, toUtc: c.toUtc }, columns);
  const body = q.format === 'parquet' ? parquetStream(chunks, read) : textStream(chunks, read, q.format, columns);
  return { filename: name, contentType: TYPES[q.format], headers, rows, body };
}

function textStream(chunks: Chunk[], read: (c: Chunk) => ReturnType<typeof chunkCosts>, format: Exclude<ExportFormat, 'parquet'>, columns: readonly string[]): ReadableStream<Uint8Array> {
  let i = 0;
  let started = false;
  let current: pl.DataFrame | undefined;
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!current && i >= chunks.length) {
        if (format === 'json') controller.enqueue(Buffer.from(started ? ']\n' : '[]\n'));
        else if (!started) controller.enqueue(Buffer.from(format === 'focus' || format === 'csv' ? `${columns.join(',')}\n` : ''));
        controller.close();
        return;
      }
      current ??= readColumnar(await read(chunks[i]!));
      const df = current;
      // A JSON row is about 2 KB (a CSV row 0.6 KB): a whole chunk of JSON would be 100 MB of text
      // at once. CSV and FOCUS encode a whole chunk (each encode costs about 0.1 s in nodejs-polars).
      const step = format === 'json' ? COST_LIMITS.jsonEncodeRows : df.height;
      const slice = step >= df.height && pos === 0 ? df : df.slice(pos, step);
      try {
        const bytes = encodeChunk(slice, format, !started);
        if (format === 'json' && !started) controller.enqueue(Buffer.from('['));
        started = true;
        controller.enqueue(bytes);
        releaseBytes(bytes.byteLength);
      } catch (err) {
        releaseFrames(df);
        current = undefined;
        throw err;
      } finally {
        if (slice !== df) releaseFrames(slice);
      }
      pos += step;
      if (pos >= df.height) {
        releaseFrames(df);
        current = undefined;
        pos = 0;
        i++;
      }
    },
    cancel() {
      if (current) releaseFrames(current);
      current = undefined;
    },
  }, { highWaterMark: 1 });
}

/** One chunk as a small Parquet file in memory, written by Polars whatever the warehouse sent (one writer, one schema). */
async function chunkParquet(read: (c: Chunk) => ReturnType<typeof chunkCosts>, c: Chunk): Promise<Uint8Array> {
  const df = readColumnar(await read(c));
  try {
    return df.writeParquet({ compression: 'zstd' });
  } finally {
    releaseFrames(df);
  }
}

function parquetStream(chunks: Chunk[], read: (c: Chunk) => ReturnType<typeof chunkCosts>): ReadableStream<Uint8Array> {
  const file = new ParquetConcat();
  let i = -1;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      // An empty range: one empty file with the columns (the read of an empty interval).
      if (!chunks.length) {
        controller.enqueue(await chunkParquet(read, { fromUtc: new Date(0), toUtc: new Date(0), rows: 0 }));
        controller.close();
        return;
      }
      if (i < 0) controller.enqueue(file.start());
      else if (i < chunks.length) {
        const part = file.add(await chunkParquet(read, chunks[i]!));
        controller.enqueue(part);
        releaseBytes(part.byteLength);
      }
      else {
        controller.enqueue(file.end());
        controller.close();
      }
      i++;
    },
  }, { highWaterMark: 1 });
}

/** GET /costs/{org}/export/metadata: the FOCUS metadata the FOCUS export's `x-focus-schema-id` names. */
export function exportMetadata(ctx: Pick<Ctx, 'clock'>) {
  return focusMetadata(costSpec().fields, focusSchemaId(), ctx.clock());
}
