import { defineRoute } from '@cloudact/shared';
import { listAllPlans } from '@cloudact/shared/saas/plans/list-all';
import { AllPlansQuery, AllPlansResponse } from '../../../plans.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const allPlansRoute = defineRoute({
  method: 'GET', path: '/api/v1/subscriptions/{org_slug}/all-plans', auth: 'org', tags: ['subscriptions'],
  summary: 'Every plan version of every provider, with run-rate totals per currency, counts by category',
  params: OrgParams,
  query: AllPlansQuery,
  response: AllPlansResponse,
  async handler({ params, query, ctx }) {
    return listAllPlans(ctx, { orgSlug: params.org_slug, enabled_only: query.enabled_only });
  },
});
