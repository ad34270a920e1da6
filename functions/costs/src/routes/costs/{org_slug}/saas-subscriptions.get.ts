import { defineRoute } from '@cloudact/shared';
import { getSaasCosts } from '@cloudact/shared/costs/views/saas';
import { CostQueryZ, OrgParams, SaasResponse } from '../../../costs.schemas.js';

export const saasRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/saas-subscriptions', auth: 'org', tags: ['costs'],
  summary: "SaaS subscription costs with monthly and annual run-rates (the SaaS formula), month/year to date and forecasts",
  params: OrgParams,
  query: CostQueryZ,
  response: SaasResponse,
  async handler({ params, query, ctx }) {
    return getSaasCosts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
