import { defineRoute } from '@cloudact/shared';
import { onboardOrRegenerate } from '@cloudact/shared/orgs/onboarding/onboard-or-regenerate';
import { OnboardBody, OnboardResponse } from '../../schemas.js';

export const onboardRoute = defineRoute({
  method: 'POST', path: '/api/v1/organizations/onboard', auth: 'root', tags: ['organizations'],
  summary: 'Onboard an org: profile, dataset and tables, subscription, API key (shown once); with regenerate_api_key_if_exists, a live ACTIVE org gets a new key instead of a 409',
  body: OnboardBody,
  response: OnboardResponse,
  secretResponse: true,
  async handler({ body, ctx }) {
    return onboardOrRegenerate(ctx, body);
  },
});
