import { randomUUID } from 'node:crypto';
import { actorId, type Ctx } from '../../context/index.js';
import { AppError } from '../../errors.js';
import { costScope, resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { exportCosts } from '../export/export.js';
import { costColumns, countCosts, exportDataSelect } from '../ledger/store.js';
import { COST_LIMITS } from '../limits.js';
import { chooseColumns } from '../views/columns.js';
import type { ExportMeta, JobFormat } from '../../context/exports.js';
import { exportAnswer } from './answer.js';

export interface StartExportInput extends CostQuery { format: JobFormat; columns?: string[] }

/** The cost export jobs of this deployment, or a 503 that says what is missing. */
export function exporterOf(ctx: Pick<Ctx, 'exports'>) {
  if (!ctx.exports) throw new AppError('SERVICE_UNAVAILABLE', 'Export jobs are not configured on this deployment: set EXPORT_BUCKET (a Cloud Storage bucket; infra/deploy/deploy.sh creates it)', { reason: 'exports_not_configured' });
  return ctx.exports;
}

/**
 * POST /costs/{org}/exports: counts the rows (one small read, so a job that could never finish
 * is refused now), then starts the job and answers 202 with its id and status route. The work
 * happens out of the request (context/exports.ts); nothing is written to any table.
 */
export async function startCostExport(ctx: Ctx, q: StartExportInput) {
  const exporter = exporterOf(ctx);
  const columns = q.format === 'focus' ? costColumns() : chooseColumns(q.columns, costColumns());
  const scope = await resolveScope(ctx, q);
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
  const s = costScope(scope, fromUtc, toUtc);
  const rows = await countCosts(ctx.warehouse, s);
  if (rows > COST_LIMITS.exportJobRows) {
    const message = `The export holds ${rows} rows; one export job holds at most ${COST_LIMITS.exportJobRows}: narrow the range (start_date/end_date) or the filters`;
    throw new AppError('PAYLOAD_TOO_LARGE', message, { fields: { end_date: [message] } });
  }
  const ref = { orgId: scope.orgId, orgSlug: scope.orgSlug, exportId: randomUUID() };
  const { orgSlug: _org, start_date: _s, end_date: _e, format: _f, columns: _c, ...filters } = q;
  const meta: ExportMeta = {
    format: q.format, start_date: scope.start, end_date: scope.end, timezone: scope.timeZone, columns, filters, rows,
    created_at: ctx.clock().toISOString(), created_by: actorId(ctx.actor) ?? null,
  };
  await exporter.begin({
    ref, meta,
    query: exportDataSelect(ctx.warehouse, s, columns, q.format),
    open: async () => (await exportCosts(ctx, { ...q, start_date: scope.start, end_date: scope.end }, { maxRows: COST_LIMITS.exportJobRows, columns })).body,
  });
  return exportAnswer(ctx, ref, { status: 'RUNNING', meta, files: [], error: null, finished_at: null });
}
