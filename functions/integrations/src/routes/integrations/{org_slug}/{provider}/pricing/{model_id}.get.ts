import { defineRoute } from '@cloudact/shared';
import { getPricing } from '@cloudact/shared/integrations/pricing/get';
import { AsOfQuery, PricingEntry, PricingParams } from '../../../../../pricing.schemas.js';

export const getPricingRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}', auth: 'org', tags: ['integrations'],
  summary: 'One model\'s price in force today, or on as_of',
  params: PricingParams,
  query: AsOfQuery,
  response: PricingEntry,
  async handler({ params, query, ctx }) {
    return getPricing(ctx, { orgSlug: params.org_slug, provider: params.provider, modelId: params.model_id, ...query });
  },
});
