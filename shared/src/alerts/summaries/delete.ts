import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { alertScope } from '../scope.js';
import { deleteSummary } from './store.js';

export async function deleteOrgSummary(ctx: Ctx, input: { orgSlug: string; summaryId: string }): Promise<void> {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  if (await deleteSummary(ctx.warehouse, tenant, input.summaryId) === 0) throw new NotFoundError(`No notification summary ${input.summaryId}`, { summary_id: input.summaryId });
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_SUMMARY_DELETE', resourceType: 'NOTIFICATION_SUMMARY', resourceId: input.summaryId, details: {} });
}
