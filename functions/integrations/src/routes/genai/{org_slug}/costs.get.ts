import { defineRoute } from '@cloudact/shared';
import { getGenaiCosts } from '@cloudact/shared/costs/views/genai';
import { GenaiCostQuery, GenaiCostsAnswer } from '../../../genai-costs.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const genaiCostsRoute = defineRoute({
  method: 'GET', path: '/api/v1/genai/{org_slug}/costs', auth: 'org', tags: ['genai'], rateClass: 'costs',
  summary: 'GenAI costs per org-local day in the org\'s currency (rate of each local day), with the price version and whether the provider billed it or it was estimated',
  params: OrgParams,
  query: GenaiCostQuery,
  response: GenaiCostsAnswer,
  async handler({ params, query, ctx }) {
    return getGenaiCosts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
