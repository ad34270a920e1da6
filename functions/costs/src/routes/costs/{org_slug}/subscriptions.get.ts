import { defineRoute } from '@cloudact/shared';
import { getSaasCosts } from '@cloudact/shared/costs/views/saas';
import { CostQueryZ, OrgParams, SaasResponse } from '../../../costs.schemas.js';

export const subscriptionsRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/subscriptions', auth: 'org', tags: ['costs'],
  summary: "SaaS subscription costs (the same answer as /saas-subscriptions, under the web app's name)",
  params: OrgParams,
  query: CostQueryZ,
  response: SaasResponse,
  async handler({ params, query, ctx }) {
    return getSaasCosts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
