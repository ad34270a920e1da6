import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { alertScope } from '../scope.js';
import { deleteRule } from './store.js';

export async function deleteOrgRule(ctx: Ctx, input: { orgSlug: string; ruleId: string }): Promise<void> {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  if (await deleteRule(ctx.warehouse, tenant, input.ruleId) === 0) throw new NotFoundError(`No notification rule ${input.ruleId}`, { rule_id: input.ruleId });
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_RULE_DELETE', resourceType: 'NOTIFICATION_RULE', resourceId: input.ruleId, details: {} });
}
