import { defineRoute } from '@cloudact/shared';
import { listSaasProviders } from '@cloudact/shared/saas/providers/list';
import { ProvidersResponse } from '../../../providers.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const listProvidersRoute = defineRoute({
  method: 'GET', path: '/api/v1/subscriptions/{org_slug}/providers', auth: 'org', tags: ['subscriptions'],
  summary: 'Every catalog SaaS provider plus the org\'s custom ones: enabled, plan counts, monthly cost per currency',
  params: OrgParams,
  response: ProvidersResponse,
  async handler({ params, ctx }) {
    return listSaasProviders(ctx, { orgSlug: params.org_slug });
  },
});
