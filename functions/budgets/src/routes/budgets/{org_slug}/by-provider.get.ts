import { defineRoute } from '@cloudact/shared';
import { budgetSummary, groupSummary } from '@cloudact/shared/budgets/budgets/summary';
import { ByProviderResponse, OrgParams, SummaryQuery } from '../../../schemas.js';

export const byProviderRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}/by-provider', auth: 'org', tags: ['budgets'],
  summary: 'The summary\'s totals by provider (all = budgets of every provider), in the org\'s currency',
  params: OrgParams,
  query: SummaryQuery,
  response: ByProviderResponse,
  rateClass: 'costs',
  async handler({ params, query, ctx }) {
    const s = await budgetSummary(ctx, { orgSlug: params.org_slug, ...query });
    return { org_slug: s.org_slug, currency: s.currency, cost_basis: s.cost_basis, providers: groupSummary(s, (i) => i.provider ?? 'all').map(({ key, ...g }) => ({ provider: key, ...g })) };
  },
});
