import { defineRoute } from '@cloudact/shared';
import { listPricing } from '@cloudact/shared/integrations/pricing/list';
import { PricingListQuery, PricingListResponse } from '../../../../pricing.schemas.js';
import { ProviderParams } from '../../../../schemas.js';

export const listPricingRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}/pricing', auth: 'org', tags: ['integrations'],
  summary: 'The provider\'s models at the price in force today, or on as_of (one warehouse round-trip)',
  params: ProviderParams,
  query: PricingListQuery,
  response: PricingListResponse,
  async handler({ params, query, ctx }) {
    return listPricing(ctx, { orgSlug: params.org_slug, provider: params.provider, ...query });
  },
});
