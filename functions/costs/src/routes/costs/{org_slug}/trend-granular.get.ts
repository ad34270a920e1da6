import { defineRoute } from '@cloudact/shared';
import { getCostTrendGranular } from '@cloudact/shared/costs/views/trend';
import { GranularQueryZ, GranularResponse, OrgParams } from '../../../costs.schemas.js';

export const trendGranularRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/trend-granular', auth: 'org', tags: ['costs'],
  summary: 'Cost per local day × provider × category × hierarchy entity over up to 730 days, with the filter values present (the dashboard filters it in the browser)',
  params: OrgParams,
  query: GranularQueryZ,
  response: GranularResponse,
  async handler({ params, query, ctx }) {
    return getCostTrendGranular(ctx, { orgSlug: params.org_slug, ...query });
  },
});
