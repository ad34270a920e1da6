import { defineRoute } from '@cloudact/shared';
import { createPlan } from '@cloudact/shared/saas/plans/create';
import { CreatePlanBody, PlanResponse } from '../../../../../plans.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const createPlanRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans', auth: 'org', tags: ['subscriptions'],
  summary: 'Add a plan (start_date defaults to the org\'s today); the first plan of a provider never enabled enables it; the same name enabled over the same dates → 409',
  params: ProviderParams,
  body: CreatePlanBody,
  response: PlanResponse,
  async handler({ params, body, ctx }) {
    return createPlan(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
