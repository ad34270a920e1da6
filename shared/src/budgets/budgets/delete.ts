import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { tenantOf } from '../../orgs/identity.js';
import { deleteBudget, getBudget } from './store.js';

/** Deletes a budget (one DML DELETE; the read beside it gives the audit row its before). */
export async function deleteOrgBudget(ctx: Ctx, input: { orgSlug: string; budgetId: string }): Promise<{ success: true; budget_id: string; message: string }> {
  const tenant = await tenantOf(ctx, input.orgSlug);
  const before = await getBudget(ctx.warehouse, tenant, input.budgetId);
  const deleted = before ? await deleteBudget(ctx.warehouse, tenant, input.budgetId) : 0;
  if (!deleted) throw new NotFoundError(`No budget ${input.budgetId}`);
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'BUDGET_DELETE', resourceType: 'BUDGET', resourceId: input.budgetId, details: { before } });
  return { success: true, budget_id: input.budgetId, message: `Budget ${input.budgetId} deleted` };
}
