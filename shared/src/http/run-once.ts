import type { Ctx } from '../context/index.js';
import { AppError, codeToStatus, ValidationError } from '../errors.js';
import { beginUse, IDEMPOTENCY_KEY, type StoredAnswer } from '../idempotency/use.js';
import { errorAnswer } from './envelope.js';
import type { AppAnswer } from './exchange.js';
import type { RouteDef } from './route.js';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * A mutating request that carries an Idempotency-Key runs at most once per key, caller and
 * request (shared/src/idempotency/use.ts): one extra round-trip before it (the claim) and one
 * write after (the stored answer). A repeat gets the stored status, body and the headers the
 * handler set (`Location`, ...), with `Idempotent-Replayed: true`. Answers that are worth
 * repeating are stored: successes and 4xx; a 5xx releases the key so that a retry runs again.
 * Requests without the header never get here.
 */
export async function runOnce(route: RouteDef, key: string, request: { method: string; target: string; body: Uint8Array | undefined }, ctx: Ctx, run: () => AppAnswer | Promise<AppAnswer>): Promise<AppAnswer> {
  if (!IDEMPOTENCY_KEY.test(key)) throw new ValidationError('Idempotency-Key must be 1-255 printable characters', { 'header.idempotency-key': ['1-255 printable ASCII characters'] });
  const actor = ctx.actor;
  const scope = actor.kind === 'org' ? actor.orgSlug : '_root';
  const callerId = actor.kind === 'org' ? actor.keyId : actor.kind;
  // The target with its query string: a DELETE …?end_date= with another date is another request.
  const orgId = actor.kind === 'org' ? actor.orgId : undefined;
  const use = await beginUse(ctx, { key, scope, ...(orgId ? { orgId } : {}), callerId, method: request.method, path: request.target, body: request.body });
  if (use.kind === 'replay') return replayAnswer(use);
  let answer: AppAnswer;
  try {
    answer = await run();
  } catch (err) {
    // Refusals are stored and replayed; answers that tell the client to retry (409 while something
    // runs, 429, anything with Retry-After) and 5xx free the key, so the retry really runs.
    if (err instanceof AppError && codeToStatus[err.code] < 500 && err.retryAfterSeconds === undefined && err.code !== 'CONFLICT' && err.code !== 'RATE_LIMITED') {
      const refused = errorAnswer(err, ctx.requestId);
      try {
        await use.finish(refused.status, String(refused.body), false, handlerHeaders(refused));
      } catch (storeErr) {
        // The refusal is still the answer; nothing changed, so the key is freed for the retry.
        ctx.logger.log('WARNING', 'idempotent request refused, but its refusal was not stored; the key is released', { request_id: ctx.requestId, error: storeErr });
        await use.release().catch(() => undefined);
      }
    } else {
      await use.release().catch(() => undefined);
    }
    throw err;
  }
  // The change is made: a failure to store its answer must not turn it into an error. A retry
  // then finds the key RUNNING (409, Retry-After: the rest of its lease, the function's
  // deadline) until its lease ends, and runs again after that.
  try {
    if (answer.status < 500 && typeof answer.body === 'string') await use.finish(answer.status, answer.body, route.secretResponse === true, handlerHeaders(answer));
    else await use.release();
  } catch (err) {
    ctx.logger.log('ERROR', 'idempotent request done, but its answer was not stored', { request_id: ctx.requestId, error: err });
  }
  return answer;
}

/** The headers an answer carries besides its content type (the handler's `Location`, ...): stored with it. */
function handlerHeaders(answer: AppAnswer): Record<string, string> {
  const { 'content-type': _type, ...rest } = answer.headers;
  return rest;
}

/** A stored answer sent again: its status, headers and body, marked `Idempotent-Replayed: true`. */
export function replayAnswer(stored: StoredAnswer): AppAnswer {
  return { status: stored.status, headers: { 'content-type': 'application/json; charset=utf-8', ...stored.headers, 'idempotent-replayed': 'true' }, body: stored.body };
}
