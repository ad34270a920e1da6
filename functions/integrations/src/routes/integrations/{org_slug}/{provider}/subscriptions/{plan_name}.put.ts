import { defineRoute } from '@cloudact/shared';
import { updateLlmSubscription } from '@cloudact/shared/integrations/llm-subscriptions/update';
import { SubscriptionEntry, SubscriptionParams, UpdateSubscriptionBody } from '../../../../../llm-subscriptions.schemas.js';

export const updateLlmSubscriptionRoute = defineRoute({
  method: 'PUT', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}', auth: 'org', tags: ['integrations'],
  summary: 'Change a subscription with an LLM provider (the fields given)',
  params: SubscriptionParams,
  body: UpdateSubscriptionBody,
  response: SubscriptionEntry,
  async handler({ params, body, ctx }) {
    return updateLlmSubscription(ctx, { orgSlug: params.org_slug, provider: params.provider, planName: params.plan_name, change: body });
  },
});
