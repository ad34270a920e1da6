import { randomUUID } from 'node:crypto';
import type { Scope } from '../../context/index.js';
import type { Ctx } from '../../context/index.js';
import { BadRequestError } from '../../errors.js';
import { auditAfter } from '../audit/store.js';
import { getLiveProfile } from '../profiles/store.js';
import { ALL_SCOPES, newOrgApiKey } from './format.js';
import { encryptForReveal, issued, type IssuedKey } from './issue.js';
import { insertKey } from './store.js';

export interface CreateKeyInput {
  org_slug: string;
  description?: string;
  expires_at?: string;
  scopes?: Scope[];
}

/**
 * Root: an extra key for an org, optionally narrower (`read`) or expiring. Issued under the org's
 * current key epoch, so a regeneration racing it retires it too. The audit row follows the insert.
 */
export async function createKey(ctx: Ctx, input: CreateKeyInput): Promise<IssuedKey & { org_slug: string }> {
  const now = ctx.clock();
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new BadRequestError('expires_at must be in the future');
  const apiKey = newOrgApiKey(input.org_slug);
  const id = randomUUID();
  const [profile, encrypted] = await Promise.all([getLiveProfile(ctx.warehouse, input.org_slug), encryptForReveal(ctx, input.org_slug, apiKey)]);
  const scopes = input.scopes?.length ? [...new Set(input.scopes)] : [...ALL_SCOPES];
  await insertKey(ctx.warehouse, { id, orgSlug: input.org_slug, orgId: profile.org_id, apiKey, encrypted, scopes, description: input.description ?? null, expiresAt, keyEpoch: profile.key_epoch, now });
  await auditAfter(ctx, { orgSlug: input.org_slug, orgId: profile.org_id, action: 'API_KEY_CREATE', resourceType: 'API_KEY', resourceId: id, details: { scopes, expires_at: input.expires_at ?? null } });
  return { org_slug: input.org_slug, ...issued(apiKey, id, scopes, expiresAt) };
}
