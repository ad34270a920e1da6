import { defineRoute } from '@cloudact/shared';
import { updateSaasPlan } from '@cloudact/shared/saas/plans/update';
import { PlanResponse, UpdatePlanBody } from '../../../../../../plans.schemas.js';
import { PlanParams } from '../../../../../../schemas.js';

export const updatePlanRoute = defineRoute({
  method: 'PUT', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}', auth: 'org', tags: ['subscriptions'],
  summary: 'Names, owner and contract in place; status cancelled ends it, active re-opens it; a price or seat change → 422 (use edit-version)',
  params: PlanParams,
  body: UpdatePlanBody,
  response: PlanResponse,
  async handler({ params, body, ctx }) {
    return updateSaasPlan(ctx, { orgSlug: params.org_slug, provider: params.provider, subscriptionId: params.subscription_id, ...body });
  },
});
