import { defineRoute } from '@cloudact/shared';
import { getCostTotal } from '@cloudact/shared/costs/views/total';
import { CostQueryZ, OrgParams, TotalResponse } from '../../../costs.schemas.js';

export const totalRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/total', auth: 'org', tags: ['costs'],
  summary: "The period's cost split into SaaS, cloud and LLM, parts adding up to the total",
  params: OrgParams,
  query: CostQueryZ,
  response: TotalResponse,
  async handler({ params, query, ctx }) {
    return getCostTotal(ctx, { orgSlug: params.org_slug, ...query });
  },
});
