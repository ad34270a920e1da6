import type { Scope } from '../../context/index.js';
import type { Ctx } from '../../context/index.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { writeAudit } from '../audit/store.js';
import { apiKeyAad } from './format.js';
import { newestEncrypted } from './store.js';

/**
 * Development only: the org's newest usable key, decrypted, so a local web app can be wired up.
 * Audited, because it hands out a credential.
 */
export async function revealKey(ctx: Ctx, input: { orgSlug: string }): Promise<{ org_slug: string; org_api_key_id: string; api_key: string; scopes: Scope[] }> {
  if (ctx.config.environment !== 'development') throw new ForbiddenError('Key retrieval is available in development only');
  const row = await newestEncrypted(ctx.warehouse, input.orgSlug, ctx.clock());
  if (!row) throw new NotFoundError(`Organization '${input.orgSlug}' has no active key`);
  const key = await ctx.encryptor.decrypt(row.encrypted, apiKeyAad(input.orgSlug));
  await writeAudit(ctx, { orgSlug: input.orgSlug, action: 'API_KEY_REVEAL', resourceType: 'API_KEY', resourceId: row.id });
  return { org_slug: input.orgSlug, org_api_key_id: row.id, api_key: key.toString('utf8'), scopes: row.scopes };
}
