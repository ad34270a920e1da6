import { defineRoute } from '@cloudact/shared';
import { getCostTrend } from '@cloudact/shared/costs/views/trend';
import { TrendQueryZ, OrgParams, TrendResponse } from '../../../costs.schemas.js';

export const trendRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/trend', auth: 'org', tags: ['costs'],
  summary: "Cost per local day, ISO week or local month (granularity), over a range or the last N days",
  params: OrgParams,
  query: TrendQueryZ,
  response: TrendResponse,
  async handler({ params, query, ctx }) {
    return getCostTrend(ctx, { orgSlug: params.org_slug, ...query });
  },
});
