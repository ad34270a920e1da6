import { defineRoute } from '@cloudact/shared';
import { editPlanVersion } from '@cloudact/shared/saas/plans/edit-version';
import { EditVersionBody, EditVersionResponse } from '../../../../../../../plans.schemas.js';
import { PlanParams } from '../../../../../../../schemas.js';

export const editVersionRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/edit-version', auth: 'org', tags: ['subscriptions'],
  summary: 'Change a plan from effective_date: the current version ends the day before, a new version carries the change (409 if not the latest)',
  params: PlanParams,
  body: EditVersionBody,
  response: EditVersionResponse,
  async handler({ params, body, ctx }) {
    return editPlanVersion(ctx, { orgSlug: params.org_slug, provider: params.provider, subscriptionId: params.subscription_id, ...body });
  },
});
