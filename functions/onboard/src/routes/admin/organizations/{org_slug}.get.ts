import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { getOrgOverview } from '@cloudact/shared/orgs/profiles/overview';
import { OrgOverviewResponse } from '../../../schemas.js';

export const adminGetOrgRoute = defineRoute({
  method: 'GET', path: '/api/v1/admin/organizations/{org_slug}', auth: 'root', tags: ['admin'],
  summary: 'Profile, subscription and key metadata of an org',
  params: OrgSlugParams,
  response: OrgOverviewResponse,
  async handler({ params, ctx }) {
    return getOrgOverview(ctx, { orgSlug: params.org_slug });
  },
});
