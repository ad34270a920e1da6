import { defineRoute } from '@cloudact/shared';
import { onboardOrg } from '@cloudact/shared/orgs/onboarding/onboard';
import { OnboardBody, OnboardResponse } from '../../schemas.js';

export const onboardRoute = defineRoute({
  method: 'POST', path: '/api/v1/organizations/onboard', auth: 'root', tags: ['organizations'],
  summary: 'Onboard an org: profile, dataset and tables, subscription, API key (shown once)',
  body: OnboardBody,
  response: OnboardResponse,
  secretResponse: true,
  async handler({ body, ctx }) {
    return onboardOrg(ctx, body);
  },
});
