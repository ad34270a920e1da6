import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { FailureGate, OrgKeyVerifier, Principal, VerifiedOrgKey } from '../context/index.js';
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
export function authorize(target: PolicyTarget, headers: Pick<Headers, 'get'>, params: Record<string, unknown>, deps: PolicyDeps, clientIp: string | undefined): Principal | Promise<Principal> {
  if (target.auth === 'public') return { kind: 'anonymous' };
  if (deps.authDisabled) return { kind: 'auth-disabled' };
  // A warm org key or the root key is decided without a promise (see verifier.ts); only a
  // lookup or a failure goes async.
  const failed = async (err: unknown): Promise<never> => {
    if (err instanceof UnauthorizedError) {
      await deps.failures.check(clientIp);
      await deps.failures.recordFailure(clientIp);
    }
    throw err;
  };
  try {
    const decided = check(target, headers, params, deps);
    return decided instanceof Promise ? decided.catch(failed) : decided;
  } catch (err) {
    return failed(err);
  }
}

function check(target: PolicyTarget, headers: Pick<Headers, 'get'>, params: Record<string, unknown>, deps: PolicyDeps): Principal | Promise<Principal> {
  if (target.auth === 'root') {
    const presented = headers.get(ROOT_KEY_HEADER);
    if (!presented) throw new UnauthorizedError('Missing X-CA-Root-Key header');
    if (!deps.rootKey || !rootKeyMatches(presented, deps.rootKey)) throw new UnauthorizedError('Invalid root key');
    return { kind: 'root' };
  }

  const apiKey = headers.get(ORG_KEY_HEADER);
  if (!apiKey) throw new UnauthorizedError('Missing X-API-Key header');
  const key = deps.orgKeys.verify(apiKey);
  return key instanceof Promise ? key.then((k) => orgPrincipal(target, params, k)) : orgPrincipal(target, params, key);
}

function orgPrincipal(target: PolicyTarget, params: Record<string, unknown>, key: VerifiedOrgKey | null): Principal {
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
