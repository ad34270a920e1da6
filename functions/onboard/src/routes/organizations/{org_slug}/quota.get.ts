import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { getQuota } from '@cloudact/shared/orgs/quota/get';
import { QuotaResponse } from '../../../schemas.js';

export const getQuotaRoute = defineRoute({
  method: 'GET', path: '/api/v1/organizations/{org_slug}/quota', auth: 'org', tags: ['subscription'],
  summary: 'Pipeline usage today and this month against the plan, with resets in the org\'s timezone',
  params: OrgSlugParams,
  response: QuotaResponse,
  async handler({ params, ctx }) {
    return getQuota(ctx, { orgSlug: params.org_slug });
  },
});
