import { defineRoute } from '@cloudact/shared';
import { revokeKey } from '@cloudact/shared/orgs/keys/revoke';
import { KeyHashParams, RevokeKeyResponse } from '../../../schemas.js';

export const adminRevokeKeyRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/admin/api-keys/{key_hash}', auth: 'root', tags: ['admin', 'api-keys'],
  summary: 'Revoke an org key by its SHA-256 hash',
  params: KeyHashParams,
  response: RevokeKeyResponse,
  async handler({ params, ctx }) {
    return revokeKey(ctx, { keyHash: params.key_hash });
  },
});
