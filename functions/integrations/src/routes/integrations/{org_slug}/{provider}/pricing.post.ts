import { defineRoute } from '@cloudact/shared';
import { createPricing } from '@cloudact/shared/integrations/pricing/create';
import { CreatePricingBody, PricingEntry } from '../../../../pricing.schemas.js';
import { ProviderParams } from '../../../../schemas.js';

export const createPricingRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/pricing', auth: 'org', tags: ['integrations'],
  summary: 'Price a model (201); 409 when it is already priced from that day on',
  params: ProviderParams,
  body: CreatePricingBody,
  response: PricingEntry,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return createPricing(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
