import type { Ctx } from '../../context/index.js';
import type { ExportRef, ExportState } from '../../context/exports.js';

/** An export job as the routes answer it: its request, its state and, once done, a download URL per file. */
export async function exportAnswer(ctx: Pick<Ctx, 'exports' | 'clock' | 'config'>, ref: ExportRef, s: ExportState) {
  const ttl = ctx.config.exports.kind === 'none' ? 3_600_000 : ctx.config.exports.urlTtlMs;
  const expiresAt = new Date(ctx.clock().getTime() + ttl);
  const files = s.status === 'DONE' && ctx.exports
    ? await Promise.all(s.files.map(async (f) => ({ name: f.name, bytes: f.bytes, download_url: await ctx.exports!.downloadUrl(ref, f.name, expiresAt) })))
    : [];
  return {
    success: true as const,
    export_id: ref.exportId,
    org_slug: ref.orgSlug,
    status: s.status,
    format: s.meta.format,
    start_date: s.meta.start_date,
    end_date: s.meta.end_date,
    timezone: s.meta.timezone,
    columns: s.meta.columns,
    filters: s.meta.filters,
    rows: s.meta.rows,
    created_at: s.meta.created_at,
    finished_at: s.finished_at,
    error: s.error,
    files,
    download_url: files.length === 1 ? files[0]!.download_url : null,
    expires_at: files.length ? expiresAt.toISOString() : null,
    status_url: `/api/v1/costs/${ref.orgSlug}/exports/${ref.exportId}`,
  };
}
