import { defineRoute, Reply } from '@cloudact/shared';
import { createKey } from '@cloudact/shared/orgs/keys/create';
import { CreateKeyBody, CreateKeyResponse } from '../../schemas.js';

export const adminCreateKeyRoute = defineRoute({
  method: 'POST', path: '/api/v1/admin/api-keys', auth: 'root', tags: ['admin', 'api-keys'],
  summary: 'Create an extra org key (scopes read/write/admin, optional expiry); shown once',
  body: CreateKeyBody,
  successStatus: 201,
  response: CreateKeyResponse,
  secretResponse: true,
  async handler({ body, ctx }) {
    return new Reply(201, await createKey(ctx, body));
  },
});
