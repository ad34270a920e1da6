import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../audit/store.js';
import { findByHash, revokeByHash } from './store.js';

/** Root: revokes a key by its hash (what logs and support tools hold, never the key). Audited once it happened. */
export async function revokeKey(ctx: Ctx, input: { keyHash: string }) {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const row = await findByHash(wh, input.keyHash);
  if (!row) throw new NotFoundError('No API key with that hash');
  const revoked = await revokeByHash(wh, input.keyHash, now);
  ctx.orgKeys.forgetKey(input.keyHash);
  if (revoked) {
    await auditAfter(ctx, { orgSlug: row.org_slug, action: 'API_KEY_REVOKE', resourceType: 'API_KEY', resourceId: row.org_api_key_id, details: { before: { is_active: true }, after: { is_active: false } } });
  }
  return { org_slug: row.org_slug, org_api_key_id: row.org_api_key_id, revoked: true, was_active: revoked > 0 };
}
