import { defineRoute } from '@cloudact/shared';
import { budgetSummary, groupSummary } from '@cloudact/shared/budgets/budgets/summary';
import { ByCategoryResponse, OrgParams, SummaryQuery } from '../../../schemas.js';

export const byCategoryRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}/by-category', auth: 'org', tags: ['budgets'],
  summary: 'The summary\'s totals by category, in the org\'s currency',
  params: OrgParams,
  query: SummaryQuery,
  response: ByCategoryResponse,
  rateClass: 'costs',
  async handler({ params, query, ctx }) {
    const s = await budgetSummary(ctx, { orgSlug: params.org_slug, ...query });
    return { org_slug: s.org_slug, currency: s.currency, cost_basis: s.cost_basis, categories: groupSummary(s, (i) => i.category).map(({ key, ...g }) => ({ category: key, ...g })) };
  },
});
