import { defineRoute } from '@cloudact/shared';
import { getCostsByService } from '@cloudact/shared/costs/views/by-service';
import { ByServiceResponse, CostQueryZ, OrgParams } from '../../../costs.schemas.js';

export const byServiceRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/by-service', auth: 'org', tags: ['costs'],
  summary: 'The top 100 services by cost (the rest as "other")',
  params: OrgParams,
  query: CostQueryZ,
  response: ByServiceResponse,
  async handler({ params, query, ctx }) {
    return getCostsByService(ctx, { orgSlug: params.org_slug, ...query });
  },
});
