import { defineRoute } from '@cloudact/shared';
import { getGenaiUsage } from '@cloudact/shared/costs/views/genai';
import { GenaiCostQuery, GenaiUsageAnswer } from '../../../genai-costs.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const genaiUsageRoute = defineRoute({
  method: 'GET', path: '/api/v1/genai/{org_slug}/usage', auth: 'org', tags: ['genai'], rateClass: 'costs',
  summary: 'GenAI usage per org-local day: tokens, PTU units, GPU hours, with hierarchy, price version and cost source',
  params: OrgParams,
  query: GenaiCostQuery,
  response: GenaiUsageAnswer,
  async handler({ params, query, ctx }) {
    return getGenaiUsage(ctx, { orgSlug: params.org_slug, ...query });
  },
});
