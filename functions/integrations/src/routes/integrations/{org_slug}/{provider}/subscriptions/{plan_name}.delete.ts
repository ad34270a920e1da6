import { defineRoute } from '@cloudact/shared';
import { removeLlmSubscription } from '@cloudact/shared/integrations/llm-subscriptions/remove';
import { NoContent, SubscriptionParams } from '../../../../../llm-subscriptions.schemas.js';

export const deleteLlmSubscriptionRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions/{plan_name}', auth: 'org', tags: ['integrations'],
  summary: 'Delete a subscription with an LLM provider (204)',
  params: SubscriptionParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await removeLlmSubscription(ctx, { orgSlug: params.org_slug, provider: params.provider, planName: params.plan_name });
    return undefined;
  },
});
