import { defineRoute } from '@cloudact/shared';
import { getOrgBudget } from '@cloudact/shared/budgets/budgets/get';
import { Budget, BudgetParams } from '../../../schemas.js';

export const getBudgetRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}/{budget_id}', auth: 'org', tags: ['budgets'],
  summary: 'One budget',
  params: BudgetParams,
  response: Budget,
  async handler({ params, ctx }) {
    return getOrgBudget(ctx, { orgSlug: params.org_slug, budgetId: params.budget_id });
  },
});
