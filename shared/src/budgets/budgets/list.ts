import type { Ctx } from '../../context/index.js';
import { tenantOf } from '../../orgs/identity.js';
import type { Category, PeriodType } from './fields.js';
import { listBudgets } from './store.js';
import { budgetView, type BudgetView } from './view.js';

export interface ListBudgetsInput { orgSlug: string; category?: Category; hierarchy_entity_id?: string; is_active?: boolean; period_type?: PeriodType }

/** The org's budgets, filtered; one query. */
export async function listOrgBudgets(ctx: Ctx, input: ListBudgetsInput): Promise<{ budgets: BudgetView[]; total: number }> {
  const all = await listBudgets(ctx.warehouse, await tenantOf(ctx, input.orgSlug));
  const budgets = all.filter((b) => (input.category === undefined || b.category === input.category)
    && (input.hierarchy_entity_id === undefined || b.hierarchy_entity_id === input.hierarchy_entity_id)
    && (input.is_active === undefined || b.is_active === input.is_active)
    && (input.period_type === undefined || b.period_type === input.period_type)).map(budgetView);
  return { budgets, total: budgets.length };
}
