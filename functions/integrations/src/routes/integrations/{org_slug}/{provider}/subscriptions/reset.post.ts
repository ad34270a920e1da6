import { defineRoute } from '@cloudact/shared';
import { resetLlmSubscriptions } from '@cloudact/shared/integrations/llm-subscriptions/reset';
import { SubscriptionListResponse } from '../../../../../llm-subscriptions.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const resetLlmSubscriptionsRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions/reset', auth: 'org', tags: ['integrations'],
  summary: 'Replace the provider\'s subscriptions by the defaults; answers the list',
  params: ProviderParams,
  response: SubscriptionListResponse,
  async handler({ params, ctx }) {
    return resetLlmSubscriptions(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
