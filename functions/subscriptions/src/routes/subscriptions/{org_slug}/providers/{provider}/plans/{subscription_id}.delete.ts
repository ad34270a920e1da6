import { defineRoute } from '@cloudact/shared';
import { endSaasPlan } from '@cloudact/shared/saas/plans/end';
import { EndPlanQuery, EndPlanResponse } from '../../../../../../plans.schemas.js';
import { PlanParams } from '../../../../../../schemas.js';

export const endPlanRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}', auth: 'org', tags: ['subscriptions'],
  summary: 'End a plan on end_date (default the org\'s today, its last paid day); the rows are kept',
  params: PlanParams,
  query: EndPlanQuery,
  response: EndPlanResponse,
  async handler({ params, query, ctx }) {
    return endSaasPlan(ctx, { orgSlug: params.org_slug, provider: params.provider, subscriptionId: params.subscription_id, endDate: query.end_date, backdate: query.backdate });
  },
});
