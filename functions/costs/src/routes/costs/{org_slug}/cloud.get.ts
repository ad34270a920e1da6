import { defineRoute } from '@cloudact/shared';
import { getCostsByService } from '@cloudact/shared/costs/views/by-service';
import { ByServiceResponse, CostQueryZ, OrgParams } from '../../../costs.schemas.js';

export const cloudRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/cloud', auth: 'org', tags: ['costs'],
  summary: 'Cloud costs (x_CostCategory cloud) per service',
  params: OrgParams,
  query: CostQueryZ,
  response: ByServiceResponse,
  async handler({ params, query, ctx }) {
    return getCostsByService(ctx, { orgSlug: params.org_slug, ...query, costCategory: 'cloud' });
  },
});
