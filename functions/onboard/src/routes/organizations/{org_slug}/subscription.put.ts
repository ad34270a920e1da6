import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { updatePlan } from '@cloudact/shared/orgs/plan/update';
import { SubscriptionUpdateBody, SubscriptionUpdateResponse } from '../../../schemas.js';

export const updateSubscriptionRoute = defineRoute({
  method: 'PUT', path: '/api/v1/organizations/{org_slug}/subscription', auth: 'root', tags: ['subscription'],
  summary: 'Change plan, limits or status (the org\'s status follows); audited with before and after',
  params: OrgSlugParams,
  body: SubscriptionUpdateBody,
  response: SubscriptionUpdateResponse,
  async handler({ params, body, ctx }) {
    return updatePlan(ctx, { orgSlug: params.org_slug, change: body });
  },
});
