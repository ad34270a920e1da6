import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { FailureGate, OrgKeyVerifier, Principal } from '../context/index.js';
import { rootKeyMatches } from './root-key.js';

export const ROOT_KEY_HEADER = 'x-ca-root-key';
export const ORG_KEY_HEADER = 'x-api-key';

/**
 * Who may call a route. There is no default: a route without a policy does not type-check, and
 * a test walks every route table to prove each one is enforced.
 * - public: anyone. - root: `X-CA-Root-Key`. - org: `X-API-Key` of the org named in the path.
 */
export type AuthPolicy = 'public' | 'root' | 'org';

export interface PolicyDeps {
  rootKey: string | undefined;
  authDisabled: boolean;
  orgKeys: OrgKeyVerifier;
  failures: FailureGate;
}

/** What the policy needs to know of a route. */
export interface PolicyTarget {
  auth: AuthPolicy;
  /** Org keys with only the `read` scope are refused here. */
  mutating: boolean;
}

const LIVE_STATUSES = new Set(['ACTIVE', 'TRIAL']);

/**
 * Enforces a route's declared policy; throws 401/403/429 errors, returns who the caller is.
 * Failed attempts count against the client address. The limit is looked at only once a key has
 * failed: a key that verifies always passes, so failures of others behind the same address (a
 * NAT, a proxy) never lock it out; a failing key from an address over its limit gets 429
 * instead of 401, so guessing stays bounded.
 */
export async function authorize(target: PolicyTarget, headers: Pick<Headers, 'get'>, params: Record<string, unknown>, deps: PolicyDeps, clientIp: string | undefined): Promise<Principal> {
  if (target.auth === 'public') return { kind: 'anonymous' };
  if (deps.authDisabled) return { kind: 'auth-disabled' };
  try {
    return await check(target, headers, params, deps);
  } catch (err) {
    if (err instanceof UnauthorizedError) {
      await deps.failures.check(clientIp);
      await deps.failures.recordFailure(clientIp);
    }
    throw err;
  }
}

async function check(target: PolicyTarget, headers: Pick<Headers, 'get'>, params: Record<string, unknown>, deps: PolicyDeps): Promise<Principal> {
  if (target.auth === 'root') {
    const presented = headers.get(ROOT_KEY_HEADER);
    if (!presented) throw new UnauthorizedError('Missing X-CA-Root-Key header');
    if (!deps.rootKey || !rootKeyMatches(presented, deps.rootKey)) throw new UnauthorizedError('Invalid root key');
    return { kind: 'root' };
  }

  const apiKey = headers.get(ORG_KEY_HEADER);
  if (!apiKey) throw new UnauthorizedError('Missing X-API-Key header');
  const key = await deps.orgKeys.verify(apiKey);
  if (!key) throw new UnauthorizedError('Invalid, expired or revoked API key');
  if (!LIVE_STATUSES.has(key.orgStatus)) throw new ForbiddenError(`Organization ${key.orgSlug} is ${key.orgStatus}`);
  const pathOrg = params.org_slug;
  if (typeof pathOrg === 'string' && pathOrg !== key.orgSlug) {
    throw new ForbiddenError(`This API key belongs to organization '${key.orgSlug}', not '${pathOrg}'`);
  }
  if (target.mutating && !key.scopes.some((s) => s === 'write' || s === 'admin')) {
    throw new ForbiddenError('This API key has read-only scope');
  }
  return { kind: 'org', orgSlug: key.orgSlug, ...(key.orgId ? { orgId: key.orgId } : {}), keyId: key.keyId, scopes: key.scopes, plan: key.plan ?? null };
}
