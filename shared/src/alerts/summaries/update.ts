import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { checkSummary } from './check.js';
import { entityOf } from './create.js';
import type { Summary, SummaryInput } from './fields.js';
import { summaryOrThrow } from './read.js';
import { replaceSummary } from './store.js';
import { summaryView } from './view.js';

/**
 * Changes a digest in place, checked again whole; its next send is computed again from now (a
 * new cron or zone takes effect at once; a paused digest has none, a resumed one gets one).
 */
export async function updateSummary(ctx: Ctx, input: SummaryInput & { orgSlug: string; summaryId: string }) {
  const { orgSlug, summaryId, hierarchy_filter: _h, ...f } = input;
  const now = ctx.clock();
  const scope = await alertScope(ctx, orgSlug);
  const before = await summaryOrThrow(ctx, scope.tenant, summaryId);
  const given = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Partial<Summary>;
  const entity = entityOf(input);
  const summary = await checkSummary(ctx, scope, { ...before, ...given, ...(entity !== undefined ? { hierarchy_entity_id: entity } : {}), updated_at: now.toISOString(), updated_by: actorOf(ctx) }, now);
  if (await replaceSummary(ctx.warehouse, scope.tenant, summary) === 0) throw new NotFoundError(`No notification summary ${summaryId}`, { summary_id: summaryId });
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'NOTIFICATION_SUMMARY_UPDATE', resourceType: 'NOTIFICATION_SUMMARY', resourceId: summaryId, details: { before, after: summary } });
  return summaryView(summary);
}
