import { defineRoute } from '@cloudact/shared';
import { updateOrgBudget } from '@cloudact/shared/budgets/budgets/update';
import { Budget, BudgetParams, UpdateBudgetBody } from '../../../schemas.js';

export const updateBudgetRoute = defineRoute({
  method: 'PUT', path: '/api/v1/budgets/{org_slug}/{budget_id}', auth: 'org', tags: ['budgets'],
  summary: 'Change a budget in place; 409 when it changed since the revision read (or sent)',
  params: BudgetParams,
  body: UpdateBudgetBody,
  response: Budget,
  async handler({ params, body, ctx }) {
    return updateOrgBudget(ctx, { orgSlug: params.org_slug, budgetId: params.budget_id, ...body });
  },
});
