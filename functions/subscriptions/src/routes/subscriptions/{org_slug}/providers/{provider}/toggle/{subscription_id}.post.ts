import { defineRoute } from '@cloudact/shared';
import { toggleSaasPlan } from '@cloudact/shared/saas/plans/toggle';
import { ToggleResponse } from '../../../../../../plans.schemas.js';
import { PlanParams } from '../../../../../../schemas.js';

export const togglePlanRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/toggle/{subscription_id}', auth: 'org', tags: ['subscriptions'],
  summary: 'Switch a plan on or off without ending it (a disabled plan is counted nowhere)',
  params: PlanParams,
  response: ToggleResponse,
  async handler({ params, ctx }) {
    return toggleSaasPlan(ctx, { orgSlug: params.org_slug, provider: params.provider, subscriptionId: params.subscription_id });
  },
});
