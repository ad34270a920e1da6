import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { revealKey } from '@cloudact/shared/orgs/keys/reveal';
import { RevealKeyResponse } from '../../../../schemas.js';

export const adminDevKeyRoute = defineRoute({
  method: 'GET', path: '/api/v1/admin/dev/api-key/{org_slug}', auth: 'root', tags: ['admin'],
  summary: 'Development only: the org\'s newest active key, decrypted (403 outside development)',
  params: OrgSlugParams,
  devOnly: true,
  response: RevealKeyResponse,
  secretResponse: true,
  async handler({ params, ctx }) {
    return revealKey(ctx, { orgSlug: params.org_slug });
  },
});
