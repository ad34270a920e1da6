import type { Ctx } from '../../context/index.js';
import { ForbiddenError } from '../../errors.js';
import { LocalExports, type LocalDownload } from './local.js';

/**
 * GET /costs/{org}/exports/{id}/download?token=: the local adapter's signed URL (on the cloud the
 * URL is Cloud Storage's own). The token is the credential, as a signed URL's signature is: no
 * API key. A forged, expired or foreign token is a 403 that says nothing more.
 */
export async function downloadCostExport(ctx: Pick<Ctx, 'exports'>, q: { orgSlug: string; exportId: string; token: string }): Promise<LocalDownload> {
  if (!(ctx.exports instanceof LocalExports)) throw new ForbiddenError('Export files are downloaded from their signed Cloud Storage URL on this deployment');
  const file = await ctx.exports.open(q.orgSlug, q.exportId, q.token);
  if (!file) throw new ForbiddenError('This download link is invalid or has expired: ask GET .../exports/{export_id} for a new one');
  return file;
}
