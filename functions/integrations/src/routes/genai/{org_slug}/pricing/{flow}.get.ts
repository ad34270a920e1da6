import { defineRoute } from '@cloudact/shared';
import { listFlowPricing } from '@cloudact/shared/integrations/genai/list';
import { FlowList, FlowParams, GenaiListQuery } from '../../../../genai.schemas.js';

export const listFlowPricingRoute = defineRoute({
  method: 'GET', path: '/api/v1/genai/{org_slug}/pricing/{flow}', auth: 'org', tags: ['genai'],
  summary: 'One flow\'s GenAI prices in force on the org\'s today',
  params: FlowParams,
  query: GenaiListQuery,
  response: FlowList,
  async handler({ params, query, ctx }) {
    return listFlowPricing(ctx, { orgSlug: params.org_slug, flow: params.flow, provider: query.provider, includeInactive: query.include_inactive, limit: query.limit, offset: query.offset });
  },
});
