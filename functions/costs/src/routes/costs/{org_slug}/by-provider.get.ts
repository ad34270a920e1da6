import { defineRoute } from '@cloudact/shared';
import { getCostsByProvider } from '@cloudact/shared/costs/views/by-provider';
import { ByProviderResponse, CostQueryZ, OrgParams } from '../../../costs.schemas.js';

export const byProviderRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/by-provider', auth: 'org', tags: ['costs'],
  summary: 'Cost per provider, largest first; the parts add up to the total after rounding',
  params: OrgParams,
  query: CostQueryZ,
  response: ByProviderResponse,
  async handler({ params, query, ctx }) {
    return getCostsByProvider(ctx, { orgSlug: params.org_slug, ...query });
  },
});
