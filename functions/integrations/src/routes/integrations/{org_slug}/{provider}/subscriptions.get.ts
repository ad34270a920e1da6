import { defineRoute } from '@cloudact/shared';
import { listLlmSubscriptions } from '@cloudact/shared/integrations/llm-subscriptions/list';
import { SubscriptionListQuery, SubscriptionListResponse } from '../../../../llm-subscriptions.schemas.js';
import { ProviderParams } from '../../../../schemas.js';

export const listLlmSubscriptionsRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions', auth: 'org', tags: ['integrations'],
  summary: 'The org\'s subscriptions (plans, limits, commitments) with an LLM provider',
  params: ProviderParams,
  query: SubscriptionListQuery,
  response: SubscriptionListResponse,
  async handler({ params, query, ctx }) {
    return listLlmSubscriptions(ctx, { orgSlug: params.org_slug, provider: params.provider, ...query });
  },
});
