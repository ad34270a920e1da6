import { BadRequestError, defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { deleteOrg } from '@cloudact/shared/orgs/profiles/delete';
import { DeleteOrgBody, DeleteOrgResponse } from '../../schemas.js';

export const deleteOrgRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/organizations/{org_slug}', auth: 'root', tags: ['organizations'],
  summary: 'Soft-delete an org (keys die at once); delete_dataset also drops {org}_prod, also on an org already deleted',
  params: OrgSlugParams,
  body: DeleteOrgBody,
  response: DeleteOrgResponse,
  async handler({ params, body, ctx }) {
    if (body.confirm_org_slug !== params.org_slug) {
      throw new BadRequestError(`confirm_org_slug '${body.confirm_org_slug}' does not match '${params.org_slug}'`);
    }
    return deleteOrg(ctx, { orgSlug: params.org_slug, deleteDataset: body.delete_dataset });
  },
});
