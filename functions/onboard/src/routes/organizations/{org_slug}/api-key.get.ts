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
    const current = keys.find((k) => k.org_api_key_id === currentId) ?? null;
    // The flat fields describe the calling key; with the root key, the newest usable one (keys come newest first).
    const shown = current ?? keys.find((k) => k.is_active);
    return {
      org_slug: params.org_slug,
      current_key: current,
      keys,
      api_key_fingerprint: shown?.fingerprint ?? null,
      is_active: shown?.is_active ?? false,
      created_at: shown?.created_at ?? null,
      scopes: shown?.scopes ?? [],
    };
  },
});
