import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { getBudget } from './store.js';
import { budgetView, type BudgetView } from './view.js';

export async function getOrgBudget(ctx: Ctx, input: { orgSlug: string; budgetId: string }): Promise<BudgetView> {
  const b = await getBudget(ctx.warehouse, await tenantOf(ctx, input.orgSlug), input.budgetId);
  if (!b) throw new NotFoundError(`No budget ${input.budgetId}`);
  return budgetView(b);
}
