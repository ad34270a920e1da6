import type { AppDeps } from '../context/index.js';
import { ORG_KEY_HEADER } from '../auth/policy.js';
import { IDEMPOTENCY_KEY, storedAnswer } from '../idempotency/use.js';
import { keyOfPresented, rotationRetired } from '../orgs/keys/rotate.js';
import type { AppAnswer, AppRequest } from './exchange.js';
import { IDEMPOTENCY_HEADER, replayAnswer } from './run-once.js';
import type { RouteDef } from './route.js';

/**
 * The one request a dead org key may still make: the replay of the rotation that retired it.
 * A rotation's answer carries the new key; lost on the way back, it could not be fetched again
 * (the retry's key is already dead: 401), and the org would be locked out of its new key. So a
 * request refused for its key is answered with a stored answer when, and only when:
 * - the route answers secrets (a rotation is one) and carries a valid Idempotency-Key;
 * - the presented key exists and belongs to the org in the path;
 * - the stored use under that Idempotency-Key is DONE and was made by this key (caller_id) with
 *   the same method, path, query and body (request hash);
 * - its answer is the rotation of this very key, retired at most 10 minutes ago
 *   (orgs/keys/rotate.ts, RETIRED_KEY_REPLAY_MS).
 * Anything else: undefined, and the caller gets the refusal it had. Two reads, paid only by
 * requests already refused for their key.
 */
export async function replayForRetiredKey(route: RouteDef, params: Record<string, string>, request: Pick<AppRequest, 'method' | 'target' | 'headers' | 'body'>, deps: AppDeps): Promise<AppAnswer | undefined> {
  if (route.auth !== 'org' || route.secretResponse !== true) return undefined;
  const apiKey = request.headers.get(ORG_KEY_HEADER);
  const idempotencyKey = request.headers.get(IDEMPOTENCY_HEADER);
  if (!apiKey || idempotencyKey === null || !IDEMPOTENCY_KEY.test(idempotencyKey)) return undefined;
  const presented = await keyOfPresented(deps, apiKey);
  if (!presented || (params.org_slug !== undefined && params.org_slug !== presented.orgSlug)) return undefined;
  const body = route.body ? await request.body() : undefined;
  const stored = await storedAnswer(deps, { key: idempotencyKey, scope: presented.orgSlug, callerId: presented.keyId, method: request.method, path: request.target, body });
  if (!stored || stored.status < 200 || stored.status >= 300 || !rotationRetired(stored.body, presented.keyId, deps.clock())) return undefined;
  return replayAnswer(stored);
}
