import { defineRoute } from '@cloudact/shared';
import { planHistory } from '@cloudact/shared/saas/plans/history';
import { HistoryResponse } from '../../../../../../../plans.schemas.js';
import { PlanParams } from '../../../../../../../schemas.js';

export const planHistoryRoute = defineRoute({
  method: 'GET', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/history', auth: 'org', tags: ['subscriptions'],
  summary: 'Every version of the plan, oldest first',
  params: PlanParams,
  response: HistoryResponse,
  async handler({ params, ctx }) {
    return planHistory(ctx, { orgSlug: params.org_slug, provider: params.provider, subscriptionId: params.subscription_id });
  },
});
