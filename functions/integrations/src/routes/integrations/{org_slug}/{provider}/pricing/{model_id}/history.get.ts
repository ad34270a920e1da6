import { defineRoute } from '@cloudact/shared';
import { pricingHistory } from '@cloudact/shared/integrations/pricing/history';
import { PricingHistoryResponse, PricingParams } from '../../../../../../pricing.schemas.js';

export const pricingHistoryRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}/pricing/{model_id}/history', auth: 'org', tags: ['integrations'],
  summary: 'Every version of a model\'s price, oldest first',
  params: PricingParams,
  response: PricingHistoryResponse,
  async handler({ params, ctx }) {
    return pricingHistory(ctx, { orgSlug: params.org_slug, provider: params.provider, modelId: params.model_id });
  },
});
