import { defineRoute } from '@cloudact/shared';
import { listGenaiPricing } from '@cloudact/shared/integrations/genai/list';
import { GenaiListQuery, GenaiPricingList } from '../../../genai.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const listGenaiPricingRoute = defineRoute({
  method: 'GET', path: '/api/v1/genai/{org_slug}/pricing', auth: 'org', tags: ['genai'],
  summary: 'GenAI prices of all three flows (payg, commitment, infrastructure) in force on the org\'s today; limit/offset per flow',
  params: OrgParams,
  query: GenaiListQuery,
  response: GenaiPricingList,
  async handler({ params, query, ctx }) {
    return listGenaiPricing(ctx, { orgSlug: params.org_slug, provider: query.provider, includeInactive: query.include_inactive, limit: query.limit, offset: query.offset });
  },
});
