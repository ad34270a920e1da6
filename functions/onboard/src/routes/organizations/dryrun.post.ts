import { defineRoute } from '@cloudact/shared';
import { dryrunOnboarding } from '@cloudact/shared/orgs/onboarding/dryrun';
import { DryrunBody, DryrunResponse } from '../../schemas.js';

export const dryrunRoute = defineRoute({
  method: 'POST', path: '/api/v1/organizations/dryrun', auth: 'root', tags: ['organizations'],
  summary: 'Check an onboarding request without writing anything',
  body: DryrunBody,
  response: DryrunResponse,
  async handler({ body, ctx }) {
    return dryrunOnboarding(ctx, body);
  },
});
