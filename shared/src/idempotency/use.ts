import { createHash } from 'node:crypto';
import type { Ctx } from '../context/index.js';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { claimKey, completeKey, readKey, releaseKey } from './store.js';

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** A first request still RUNNING after this long died (the platform's deadline is shorter): its key may be taken over. */
export const RUNNING_LEASE_MS = 10 * 60 * 1000;
/** 1..255 printable ASCII characters, as the header allows. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export type Begin =
  | { kind: 'run'; finish(status: number, body: string, secret: boolean): Promise<void>; release(): Promise<void> }
  | { kind: 'replay'; status: number; body: string };

export interface UseInput {
  key: string;
  /** The caller's org, or `_root`: keys of different orgs never meet. */
  scope: string;
  /** The org key id, or `root`: the same key from another caller is refused. */
  callerId: string;
  method: string;
  path: string;
  body: Uint8Array | undefined;
}

function fingerprint(method: string, path: string, body: Uint8Array | undefined): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(body ?? new Uint8Array()).digest('hex');
}

function aad(scope: string, key: string): string {
  return `idempotency:${scope}:${key}`;
}

/**
 * The first request with a key runs (one extra round-trip before it: the claim); a repeat of
 * the same request by the same caller within 24 h gets the stored answer without running again
 * (one more read); the same key with another request is 422; a repeat while the first is still
 * running is 409 with Retry-After. Answers that carry a secret (a new org key) are stored
 * encrypted, bound to the idempotency key, and decrypted only for the replay.
 */
export async function beginUse(ctx: Pick<Ctx, 'warehouse' | 'clock' | 'encryptor' | 'requestId'>, input: UseInput): Promise<Begin> {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const requestId = ctx.requestId;
  const hash = fingerprint(input.method, input.path, input.body);
  const affected = await claimKey(wh, {
    key: input.key, scope: input.scope, callerId: input.callerId, method: input.method, path: input.path, hash, requestId, now,
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    leaseCutoff: new Date(now.getTime() - RUNNING_LEASE_MS),
  });
  // 2: this request claimed the key. Otherwise the stored use says who holds it (the same read a
  // replay needs anyway, so a repeat costs no more than before).
  const used = affected === 2 ? undefined : await readKey(wh, input.key, input.scope);
  const mine = affected === 2 || (used !== undefined && used.requestId === requestId);
  if (mine && affected === 1) {
    // Only the key row changed: there is no lock row, so this claim was not serialised with others.
    await releaseKey(wh, input.key, input.scope).catch(() => undefined);
    throw new ServiceUnavailableError('The idempotency lock row is missing: run POST /api/v1/admin/bootstrap once', { retryAfterSeconds: 30 });
  }
  if (mine) {
    return {
      kind: 'run',
      async finish(status, body, secret) {
        const encrypted = secret ? await ctx.encryptor.encrypt(body, aad(input.scope, input.key)) : null;
        await completeKey(wh, { key: input.key, scope: input.scope, status, data: secret ? null : body, encrypted, now: ctx.clock() });
      },
      release: () => releaseKey(wh, input.key, input.scope),
    };
  }
  if (!used) throw new ConflictError('This Idempotency-Key is being released by a failed request; try again', { reason: 'idempotency_in_progress' }, { retryAfterSeconds: 1 });
  const mismatch = [
    used.callerId !== input.callerId && 'caller',
    used.method !== input.method && 'method',
    used.path !== input.path && 'path',
    used.hash !== hash && used.method === input.method && used.path === input.path && 'body',
  ].filter((m): m is string => Boolean(m));
  if (mismatch.length) {
    throw new ValidationError(`This Idempotency-Key was used for a different request (${mismatch.join(', ')} differ); use a new key for a new request`, { 'header.idempotency-key': [`reused with a different ${mismatch.join(', ')}`] });
  }
  if (used.state === 'RUNNING' || used.status === null) {
    throw new ConflictError('The first request with this Idempotency-Key is still running; retry shortly to get its answer', { reason: 'idempotency_in_progress' }, { retryAfterSeconds: 2 });
  }
  const body = used.encrypted ? (await ctx.encryptor.decrypt(used.encrypted, aad(input.scope, input.key))).toString('utf8') : (used.data ?? '');
  return { kind: 'replay', status: used.status, body };
}

/**
 * The stored answer of a finished use, only if this exact request made it: the same caller,
 * method, path and body. Claims nothing and refuses nothing (undefined otherwise): for a caller
 * that is let in only to fetch such an answer (a key its own rotation retired, http/retired-key-replay.ts).
 */
export async function storedAnswer(ctx: Pick<Ctx, 'warehouse' | 'encryptor'>, input: UseInput): Promise<{ status: number; body: string } | undefined> {
  const used = await readKey(ctx.warehouse, input.key, input.scope);
  if (!used || used.state !== 'DONE' || used.status === null) return undefined;
  if (used.callerId !== input.callerId || used.method !== input.method || used.path !== input.path || used.hash !== fingerprint(input.method, input.path, input.body)) return undefined;
  const body = used.encrypted ? (await ctx.encryptor.decrypt(used.encrypted, aad(input.scope, input.key))).toString('utf8') : (used.data ?? '');
  return { status: used.status, body };
}
