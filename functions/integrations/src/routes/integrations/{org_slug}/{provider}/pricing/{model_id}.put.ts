import { defineRoute } from '@cloudact/shared';
import { updatePricing } from '@cloudact/shared/integrations/pricing/update';
import { PricingEntry, PricingParams, UpdatePricingBody } from '../../../../../pricing.schemas.js';

export const updatePricingRoute = defineRoute({
  method: 'PUT', path: '/api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}', auth: 'org', tags: ['integrations'],
  summary: 'Change a model\'s price: a new price is a new version from effective_date (today when absent); the version before ends the day before. Re-pricing days already reported needs backdate: true',
  params: PricingParams,
  body: UpdatePricingBody,
  response: PricingEntry,
  async handler({ params, body, ctx }) {
    const { backdate, ...change } = body;
    return updatePricing(ctx, { orgSlug: params.org_slug, provider: params.provider, modelId: params.model_id, change, backdate });
  },
});
