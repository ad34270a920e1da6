import { defineRoute } from '@cloudact/shared';
import { getLlmSubscription } from '@cloudact/shared/integrations/llm-subscriptions/get';
import { SubscriptionEntry, SubscriptionParams } from '../../../../../llm-subscriptions.schemas.js';

export const getLlmSubscriptionRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}', auth: 'org', tags: ['integrations'],
  summary: 'One subscription with an LLM provider',
  params: SubscriptionParams,
  response: SubscriptionEntry,
  async handler({ params, ctx }) {
    return getLlmSubscription(ctx, { orgSlug: params.org_slug, provider: params.provider, planName: params.plan_name });
  },
});
