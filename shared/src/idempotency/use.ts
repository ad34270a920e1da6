import { createHash } from 'node:crypto';
import type { Ctx } from '../context/index.js';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../errors.js';
import { claimKey, completeKey, readKey, releaseKey, type StoredUse } from './store.js';

/** How long a key's answer is kept and replayed. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
/** The function's deadline when FUNCTION_TIMEOUT_SECONDS is not set: deploy.sh's default --timeout. */
export const DEFAULT_FUNCTION_TIMEOUT_MS = 120_000;
/** 1..255 printable ASCII characters, as the header allows. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * How long a RUNNING use is held for its request: the platform's deadline (--timeout), after
 * which the request that claimed it is dead, so its key may be taken over by a retry. Measured
 * from the claim, which comes after the request started: the lease always outlives its request.
 */
export function runningLeaseMs(config: Pick<Ctx['config'], 'functionTimeoutMs'>): number {
  return config.functionTimeoutMs ?? DEFAULT_FUNCTION_TIMEOUT_MS;
}

/** A stored answer: status, JSON body and the headers the handler set (`Location`, ...). */
export interface StoredAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type Begin =
  | { kind: 'run'; finish(status: number, body: string, secret: boolean, headers?: Record<string, string>): Promise<void>; release(): Promise<void> }
  | ({ kind: 'replay' } & StoredAnswer);

export interface UseInput {
  key: string;
  /** The caller's org, or `_root`: keys of different orgs never meet. */
  scope: string;
  /** The caller's tenant (orgs/identity.ts); absent for the root key. */
  orgId?: string;
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
 * An answer with headers is stored as this prefix and `{"headers":…,"body":…}`; JSON text never
 * starts with it, so a row stored before headers were kept (the body alone) still reads as it was.
 */
const WITH_HEADERS = 'ca-answer/1\n';

function pack(body: string, headers: Record<string, string>): string {
  return Object.keys(headers).length ? WITH_HEADERS + JSON.stringify({ headers, body }) : body;
}

function unpack(stored: string): { body: string; headers: Record<string, string> } {
  if (!stored.startsWith(WITH_HEADERS)) return { body: stored, headers: {} };
  const { headers, body } = JSON.parse(stored.slice(WITH_HEADERS.length)) as { headers: Record<string, string>; body: string };
  return { body, headers };
}

type UseCtx = Pick<Ctx, 'warehouse' | 'clock' | 'encryptor' | 'requestId' | 'config'>;

/**
 * The first request with a key runs (one extra round-trip before it: the claim); a repeat of
 * the same request by the same caller within 24 h gets the stored answer without running again
 * (one more read); the same key with another request is 422; a repeat while the first is still
 * running is 409 with Retry-After (the seconds left of its lease). Answers that carry a secret
 * (a new org key) are stored encrypted, bound to the idempotency key, and decrypted only for
 * the replay.
 */
export async function beginUse(ctx: UseCtx, input: UseInput): Promise<Begin> {
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const requestId = ctx.requestId;
  const hash = fingerprint(input.method, input.path, input.body);
  const leaseMs = runningLeaseMs(ctx.config);
  let affected: number;
  try {
    affected = await claimKey(wh, {
      key: input.key, scope: input.scope, orgId: input.orgId ?? '', callerId: input.callerId, method: input.method, path: input.path, hash, requestId, now,
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
      leaseCutoff: new Date(now.getTime() - leaseMs),
    });
  } catch (err) {
    // The claim may have committed with its answer lost: the row says whether it is ours.
    const row = await readKey(wh, input.key, input.scope).catch(() => undefined);
    if (row?.requestId !== requestId) throw err;
    affected = 2;
  }
  // 2: this request claimed the key (the one lock row and its key row); 0: taken. Any other
  // count is read back (store.ts): the stored use says who holds it, the same read a replay
  // needs anyway.
  const used = affected === 2 ? undefined : await readKey(wh, input.key, input.scope);
  const mine = affected === 2 || (affected > 0 && used !== undefined && used.requestId === requestId);
  if (mine && affected === 1) {
    // Only the key row changed: there is no lock row, so this claim was not serialised with others.
    await releaseKey(wh, input.key, input.scope).catch(() => undefined);
    throw new ServiceUnavailableError('The idempotency lock row is missing: run POST /api/v1/admin/bootstrap once', { retryAfterSeconds: 30 });
  }
  if (mine) {
    return {
      kind: 'run',
      async finish(status, body, secret, headers = {}) {
        const packed = pack(body, headers);
        const encrypted = secret ? await ctx.encryptor.encrypt(packed, aad(input.scope, input.key)) : null;
        await completeKey(wh, { key: input.key, scope: input.scope, status, data: secret ? null : packed, encrypted, now: ctx.clock() });
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
    const retryAfterSeconds = leaseSecondsLeft(used, leaseMs, now);
    throw new ConflictError(`The first request with this Idempotency-Key is still running; retry in ${retryAfterSeconds} s to get its answer`, { reason: 'idempotency_in_progress' }, { retryAfterSeconds });
  }
  return { kind: 'replay', ...await answerOf(ctx, input, used, used.status) };
}

/** Seconds until a RUNNING use's lease ends (at least 1): then the answer is there, or the key is free. */
function leaseSecondsLeft(used: StoredUse, leaseMs: number, now: Date): number {
  const since = used.updatedAt === null ? NaN : Date.parse(used.updatedAt);
  if (!Number.isFinite(since)) return Math.ceil(leaseMs / 1000);
  return Math.max(1, Math.ceil((since + leaseMs - now.getTime()) / 1000));
}

async function answerOf(ctx: Pick<Ctx, 'encryptor'>, input: UseInput, used: StoredUse, status: number): Promise<StoredAnswer> {
  const text = used.encrypted ? (await ctx.encryptor.decrypt(used.encrypted, aad(input.scope, input.key))).toString('utf8') : (used.data ?? '');
  return { status, ...unpack(text) };
}

/**
 * The stored answer of a finished use, only if this exact request made it: the same caller,
 * method, path and body. Claims nothing and refuses nothing (undefined otherwise): for a caller
 * that is let in only to fetch such an answer (a key its own rotation retired, http/retired-key-replay.ts).
 */
export async function storedAnswer(ctx: Pick<Ctx, 'warehouse' | 'encryptor'>, input: UseInput): Promise<StoredAnswer | undefined> {
  const used = await readKey(ctx.warehouse, input.key, input.scope);
  if (!used || used.state !== 'DONE' || used.status === null) return undefined;
  if (used.callerId !== input.callerId || used.method !== input.method || used.path !== input.path || used.hash !== fingerprint(input.method, input.path, input.body)) return undefined;
  return answerOf(ctx, input, used, used.status);
}
