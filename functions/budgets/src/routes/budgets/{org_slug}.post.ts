import { defineRoute, Reply } from '@cloudact/shared';
import { createBudget } from '@cloudact/shared/budgets/budgets/create';
import { Budget, CreateBudgetBody, OrgParams } from '../../schemas.js';

export const createBudgetRoute = defineRoute({
  method: 'POST', path: '/api/v1/budgets/{org_slug}', auth: 'org', tags: ['budgets'],
  summary: 'Add a budget (201; currency defaults to the org\'s); a second active budget of the same entity, category, provider and period → 409',
  params: OrgParams,
  body: CreateBudgetBody,
  response: Budget,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return new Reply(201, await createBudget(ctx, { orgSlug: params.org_slug, ...body }));
  },
});
