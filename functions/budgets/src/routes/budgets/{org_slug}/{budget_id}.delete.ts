import { defineRoute } from '@cloudact/shared';
import { deleteOrgBudget } from '@cloudact/shared/budgets/budgets/delete';
import { BudgetParams, DeleteResponse } from '../../../schemas.js';

export const deleteBudgetRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/budgets/{org_slug}/{budget_id}', auth: 'org', tags: ['budgets'],
  summary: 'Delete a budget',
  params: BudgetParams,
  response: DeleteResponse,
  async handler({ params, ctx }) {
    return deleteOrgBudget(ctx, { orgSlug: params.org_slug, budgetId: params.budget_id });
  },
});
