import { defineRoute } from '@cloudact/shared';
import { bulkUpdatePricing } from '@cloudact/shared/integrations/pricing/bulk-update';
import { BulkUpdatePricingBody, BulkUpdatePricingResponse } from '../../../../pricing.schemas.js';
import { ProviderParams } from '../../../../schemas.js';

export const bulkUpdatePricingRoute = defineRoute({
  method: 'PATCH', path: '/api/v1/integrations/{org_slug}/{provider}/pricing', auth: 'org', tags: ['integrations'],
  summary: 'Change many models at once: all or nothing (422 naming each failing item, nothing written)',
  params: ProviderParams,
  body: BulkUpdatePricingBody,
  response: BulkUpdatePricingResponse,
  async handler({ params, body, ctx }) {
    return bulkUpdatePricing(ctx, { orgSlug: params.org_slug, provider: params.provider, updates: body.updates });
  },
});
