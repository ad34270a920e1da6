import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.js';
import { auditAfter } from '../audit/store.js';
import { encryptForReveal, issued } from './issue.js';
import { hashOrgApiKey, newOrgApiKey, orgOfKey } from './format.js';
import { deleteKey, findByHash, getUsable, insertKey, retireForRotation, rotatedTo } from './store.js';

export const MAX_GRACE_SECONDS = 24 * 3600;

export interface RotateInput {
  orgSlug: string;
  /** The calling key: a key rotates itself. */
  keyId: string;
  graceSeconds: number;
}

/**
 * Replaces the calling key with a new one of the same scopes and expiry. Round-trips: (1) read
 * the key | encrypt; (2) insert the successor, not yet valid; (3) the deciding UPDATE retires the
 * caller's key (now, or at the end of the grace period) and names the successor, only if no
 * other rotation did (see keys/store.ts). Of concurrent rotations of one key exactly one wins;
 * the others get 409 and their successor rows, never valid, are deleted. A key already rotated
 * (inside its grace period) cannot be rotated again: its successor is the key to rotate.
 * A failure before (3) leaves the caller's key as it was.
 */
export async function rotateKey(ctx: Ctx, input: RotateInput) {
  if (input.graceSeconds < 0 || input.graceSeconds > MAX_GRACE_SECONDS) throw new BadRequestError(`grace_period_seconds must be between 0 and ${MAX_GRACE_SECONDS}`);
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const apiKey = newOrgApiKey(input.orgSlug);
  const successorId = randomUUID();
  const [current, encrypted] = await Promise.all([
    getUsable(wh, input.orgSlug, input.keyId, now),
    encryptForReveal(ctx, input.orgSlug, apiKey),
  ]);
  if (!current) throw new NotFoundError('The calling key is no longer active');
  if (current.rotated_to) throw alreadyRotated(current.expires_at);

  const graceEnds = input.graceSeconds === 0 ? null : new Date(now.getTime() + input.graceSeconds * 1000);
  // A grace period never extends a key past its own expiry.
  const graceUntil = graceEnds && current.expires_at && Date.parse(current.expires_at) < graceEnds.getTime() ? new Date(current.expires_at) : graceEnds;
  const expiresAt = current.expires_at ? new Date(current.expires_at) : null;

  await insertKey(wh, {
    id: successorId, orgSlug: input.orgSlug, ...(ctx.actor.kind === 'org' && ctx.actor.orgId ? { orgId: ctx.actor.orgId } : {}), apiKey, encrypted, scopes: current.scopes,
    description: current.description ?? 'Rotated key', expiresAt, keyEpoch: current.key_epoch, rotatedFrom: input.keyId, now,
  });
  let won: boolean;
  try {
    won = (await retireForRotation(wh, { keyId: input.keyId, successorId, epoch: current.key_epoch, now, graceUntil })) === 1;
  } catch (err) {
    // The UPDATE may have committed with its answer lost: the key itself says who won.
    const named = await rotatedTo(wh, input.keyId).catch(() => undefined);
    if (named !== successorId) {
      if (named !== undefined) await deleteKey(wh, successorId).catch(() => undefined);
      throw err;
    }
    won = true;
  }
  if (!won) {
    await deleteKey(wh, successorId).catch((err: unknown) => ctx.logger.log('WARNING', 'lost rotation: successor row not deleted (it can never become valid)', { request_id: ctx.requestId, error: err }));
    throw alreadyRotated(null);
  }
  ctx.orgKeys.forgetKey(current.hash);
  const validUntil = (graceUntil ?? now).toISOString();
  await auditAfter(ctx, {
    orgSlug: input.orgSlug, action: 'API_KEY_ROTATE', resourceType: 'API_KEY', resourceId: input.keyId,
    details: { grace_period_seconds: input.graceSeconds, successor_key_id: successorId, previous_key_valid_until: validUntil },
  });
  const key = issued(apiKey, successorId, current.scopes, expiresAt);
  return {
    ...key,
    org_slug: input.orgSlug,
    api_key_fingerprint: key.fingerprint,
    // Without a grace period the old key stopped with this call (the web app's RotateApiKeyResponse).
    previous_key_revoked: graceUntil === null,
    previous_key_id: input.keyId,
    previous_key_valid_until: validUntil,
    message: 'New key issued. Store it now: it is not shown again.',
  };
}

function alreadyRotated(validUntil: string | null): ConflictError {
  return new ConflictError(
    `This key has already been rotated${validUntil ? ` and stops working at ${validUntil}` : ''}; its successor is the key to use and to rotate`,
    { reason: 'already_rotated', ...(validUntil ? { valid_until: validUntil } : {}) },
  );
}

/**
 * How long after a rotation retired a key that key may still make one request: the replay of
 * that very rotation (same Idempotency-Key, same body), so an answer lost on the way back can be
 * fetched again. Without it the new key would be lost with the answer: the old one is dead.
 */
export const RETIRED_KEY_REPLAY_MS = 10 * 60 * 1000;

/** The org and id of a presented key, whatever its state (a dead key included); undefined if unknown. */
export async function keyOfPresented(ctx: Pick<Ctx, 'warehouse'>, apiKey: string): Promise<{ orgSlug: string; keyId: string } | undefined> {
  const orgSlug = orgOfKey(apiKey);
  if (!orgSlug) return undefined;
  const row = await findByHash(ctx.warehouse, hashOrgApiKey(apiKey));
  return row && row.org_slug === orgSlug ? { orgSlug, keyId: row.org_api_key_id } : undefined;
}

/**
 * Whether a stored answer is this rotation's success for `keyId`, with the key retired no more
 * than RETIRED_KEY_REPLAY_MS ago (its `previous_key_valid_until`: now, or the end of the grace).
 */
export function rotationRetired(answer: string, keyId: string, now: Date): boolean {
  let parsed: unknown;
  try { parsed = JSON.parse(answer); } catch { return false; }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const a = parsed as { previous_key_id?: unknown; previous_key_valid_until?: unknown; api_key?: unknown };
  if (a.previous_key_id !== keyId || typeof a.previous_key_valid_until !== 'string' || typeof a.api_key !== 'string') return false;
  const retiredAt = Date.parse(a.previous_key_valid_until);
  return Number.isFinite(retiredAt) && now.getTime() <= retiredAt + RETIRED_KEY_REPLAY_MS;
}
