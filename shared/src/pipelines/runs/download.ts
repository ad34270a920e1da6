import type { Ctx } from '../../context/index.js';
import { getPipelineRun } from './get.js';

const CSV_COLUMNS = ['pipeline_logging_id', 'step_logging_id', 'step_index', 'step_name', 'step_type', 'status', 'start_time', 'end_time', 'duration_ms', 'rows_processed', 'error_message'] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet: quote it as text.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A run's log as a file: JSON (the run, its steps and DQ results) or CSV (one line per step). */
export async function downloadPipelineRun(ctx: Ctx, input: { orgSlug: string; pipelineLoggingId: string; format: 'json' | 'csv' }): Promise<{ body: ReadableStream<Uint8Array>; contentType: string; filename: string }> {
  const run = await getPipelineRun(ctx, input);
  const text = input.format === 'json'
    ? JSON.stringify(run, null, 2)
    : [CSV_COLUMNS.join(','), ...run.steps.map((s) => CSV_COLUMNS.map((c) => csvCell(c === 'pipeline_logging_id' ? run.pipeline_logging_id : s[c])).join(','))].join('\r\n') + '\r\n';
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.close(); } });
  const safeId = input.pipelineLoggingId.replace(/[^A-Za-z0-9_.-]/g, '_');
  return { body, contentType: input.format === 'json' ? 'application/json' : 'text/csv', filename: `pipeline_run_${safeId}.${input.format}` };
}
