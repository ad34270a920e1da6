import { defineRoute } from '@cloudact/shared';
import { availablePlans } from '@cloudact/shared/saas/providers/available-plans';
import { AvailablePlansResponse } from '../../../../../providers.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const availablePlansRoute = defineRoute({
  method: 'GET', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/available-plans', auth: 'org', tags: ['subscriptions'],
  summary: 'The catalog\'s plan templates of a provider',
  params: ProviderParams,
  response: AvailablePlansResponse,
  async handler({ params }) {
    return availablePlans({ provider: params.provider });
  },
});
