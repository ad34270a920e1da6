import { defineRoute } from '@cloudact/shared';
import { listProviderPlans } from '@cloudact/shared/saas/plans/list';
import { ListPlansQuery, PlansResponse } from '../../../../../plans.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const listPlansRoute = defineRoute({
  method: 'GET', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans', auth: 'org', tags: ['subscriptions'],
  summary: 'A provider\'s plan versions with computed status and run-rates; totals per currency over enabled plans paid for today',
  params: ProviderParams,
  query: ListPlansQuery,
  response: PlansResponse,
  async handler({ params, query, ctx }) {
    return listProviderPlans(ctx, { orgSlug: params.org_slug, provider: params.provider, ...query });
  },
});
