import type { Query } from '../warehouse/port.js';

/** What an export job writes: CSV (for spreadsheets), Parquet, or FOCUS 1.2 CSV (raw, for tools). */
export type JobFormat = 'csv' | 'parquet' | 'focus';

/** One export of one tenant: its files live under the org's immutable id, never its slug (a re-used slug is another tenant). */
export interface ExportRef { orgId: string; orgSlug: string; exportId: string }

/** What was asked for, kept beside the files so the status route can show it. */
export interface ExportMeta {
  format: JobFormat;
  start_date: string;
  end_date: string;
  timezone: string;
  columns: string[];
  filters: Record<string, unknown>;
  /** Rows counted before the job started. */
  rows: number;
  created_at: string;
  created_by: string | null;
}

export interface ExportJob {
  ref: ExportRef;
  meta: ExportMeta;
  /** The SELECT of the rows, for an adapter whose warehouse writes the files (BigQuery EXPORT DATA). */
  query: Query;
  /** The rows as one encoded stream, for an adapter that writes the file itself (local). */
  open(): Promise<ReadableStream<Uint8Array>>;
}

export interface ExportFile { name: string; bytes: number | null }

export type ExportStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface ExportState { status: ExportStatus; meta: ExportMeta; files: ExportFile[]; error: string | null; finished_at: string | null }

/**
 * Where export jobs run and their files wait for download: out of the request, because a year of
 * a billing export is gigabytes and minutes, and API Gateway cuts a request at 60 s. The BigQuery
 * adapter (gcs.ts) hands the work to BigQuery (EXPORT DATA into Cloud Storage) and signs V4 URLs;
 * the local one (local.ts) writes the same stream the synchronous export sends into the data
 * directory and serves it behind an expiring signed URL.
 */
export interface CostExporter {
  readonly kind: 'local' | 'gcs';
  /** Starts the job and returns once it is under way (never when it is done). */
  begin(job: ExportJob): Promise<void>;
  /** The job's state, or null for an export this org never started. */
  state(ref: ExportRef): Promise<ExportState | null>;
  /** A URL that downloads one of the job's files until `expiresAt`, without an API key. */
  downloadUrl(ref: ExportRef, file: string, expiresAt: Date): Promise<string>;
}
