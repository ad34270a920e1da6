import { defineRoute } from '@cloudact/shared';
import { getCostSummary } from '@cloudact/shared/costs/views/summary';
import { CostQueryZ, OrgParams, SummaryResponse } from '../../../costs.schemas.js';

export const summaryRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/summary', auth: 'org', tags: ['costs'],
  summary: "Totals, breakdowns, daily trend, top services, previous period, month to date and forecast, in the org's currency and local days",
  params: OrgParams,
  query: CostQueryZ,
  response: SummaryResponse,
  async handler({ params, query, ctx }) {
    return getCostSummary(ctx, { orgSlug: params.org_slug, ...query });
  },
});
