import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { getPlan } from '@cloudact/shared/orgs/plan/get';
import { SubscriptionResponse } from '../../../schemas.js';

export const getSubscriptionRoute = defineRoute({
  method: 'GET', path: '/api/v1/organizations/{org_slug}/subscription', auth: 'org', tags: ['subscription'],
  summary: 'The org\'s plan, status and limits',
  params: OrgSlugParams,
  response: SubscriptionResponse,
  async handler({ params, ctx }) {
    return getPlan(ctx, { orgSlug: params.org_slug });
  },
});
