import { defineRoute } from '@cloudact/shared';
import { createLlmSubscription } from '@cloudact/shared/integrations/llm-subscriptions/create';
import { CreateSubscriptionBody, SubscriptionEntry } from '../../../../llm-subscriptions.schemas.js';
import { ProviderParams } from '../../../../schemas.js';

export const createLlmSubscriptionRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/subscriptions', auth: 'org', tags: ['integrations'],
  summary: 'Add a subscription with an LLM provider (201); 409 when the plan_name exists',
  params: ProviderParams,
  body: CreateSubscriptionBody,
  response: SubscriptionEntry,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return createLlmSubscription(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
