import { defineRoute } from '@cloudact/shared';
import { resetPricing } from '@cloudact/shared/integrations/pricing/reset';
import { PricingListResponse } from '../../../../../pricing.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const resetPricingRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/pricing/reset', auth: 'org', tags: ['integrations'],
  summary: 'The default prices become the provider\'s prices from today (earlier prices stay in the history); answers the list',
  params: ProviderParams,
  response: PricingListResponse,
  async handler({ params, ctx }) {
    return resetPricing(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
