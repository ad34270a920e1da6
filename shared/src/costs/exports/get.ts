import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { resolveScope } from '../analytics/scope.js';
import { exportAnswer } from './answer.js';
import { exporterOf } from './start.js';

/** GET /costs/{org}/exports/{id}: the job's state; only the org (its immutable id) that started it finds it. */
export async function getCostExport(ctx: Ctx, q: { orgSlug: string; exportId: string }) {
  const exporter = exporterOf(ctx);
  const scope = await resolveScope(ctx, { orgSlug: q.orgSlug });
  const ref = { orgId: scope.orgId, orgSlug: q.orgSlug, exportId: q.exportId };
  const s = await exporter.state(ref);
  if (!s) throw new NotFoundError(`No export ${q.exportId} for ${q.orgSlug}`);
  return exportAnswer(ctx, ref, s);
}
