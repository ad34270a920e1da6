import { defineRoute } from '@cloudact/shared';
import { listOrgBudgets } from '@cloudact/shared/budgets/budgets/list';
import { BudgetsResponse, ListBudgetsQuery, OrgParams } from '../../schemas.js';

export const listBudgetsRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}', auth: 'org', tags: ['budgets'],
  summary: 'The org\'s budgets, optionally by category, hierarchy entity, is_active and period_type',
  params: OrgParams,
  query: ListBudgetsQuery,
  response: BudgetsResponse,
  async handler({ params, query, ctx }) {
    return listOrgBudgets(ctx, { orgSlug: params.org_slug, ...query });
  },
});
