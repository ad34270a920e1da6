import { defineRoute } from '@cloudact/shared';
import { listKeys } from '@cloudact/shared/orgs/keys/list';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { ApiKeyListResponse } from '../../../schemas.js';

export const getApiKeyRoute = defineRoute({
  method: 'GET', path: '/api/v1/organizations/{org_slug}/api-key', auth: 'org', tags: ['api-keys'],
  summary: 'Metadata of the calling key and the org\'s other keys (never the key itself)',
  params: OrgSlugParams,
  response: ApiKeyListResponse,
  async handler({ params, principal, ctx }) {
    const keys = await listKeys(ctx, { orgSlug: params.org_slug });
    const currentId = principal.kind === 'org' ? principal.keyId : undefined;
    return { org_slug: params.org_slug, current_key: keys.find((k) => k.org_api_key_id === currentId) ?? null, keys };
  },
});
