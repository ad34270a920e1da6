import { defineRoute } from '@cloudact/shared';
import { removePricing } from '@cloudact/shared/integrations/pricing/remove';
import { NoContent, PricingParams } from '../../../../../pricing.schemas.js';

export const deletePricingRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}', auth: 'org', tags: ['integrations'],
  summary: 'Stop pricing a model from today (204); its past prices stay in the history',
  params: PricingParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await removePricing(ctx, { orgSlug: params.org_slug, provider: params.provider, modelId: params.model_id });
    return undefined;
  },
});
