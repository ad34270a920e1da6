import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { regenerateKey } from '@cloudact/shared/orgs/keys/regenerate';
import { RegenerateKeyResponse } from '../../../../schemas.js';

export const adminRegenerateKeyRoute = defineRoute({
  method: 'POST', path: '/api/v1/admin/organizations/{org_slug}/regenerate-api-key', auth: 'root', tags: ['admin', 'api-keys'],
  summary: 'Revoke all of an org\'s keys and issue a new one (shown once)',
  params: OrgSlugParams,
  response: RegenerateKeyResponse,
  secretResponse: true,
  async handler({ params, ctx }) {
    return regenerateKey(ctx, { orgSlug: params.org_slug });
  },
});
