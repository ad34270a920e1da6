import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { RouteDef } from '../http/route.js';
import { isMutating } from '../http/route.js';
import type { OrgKeyVerifier, Principal } from './principal.js';
import { rootKeyMatches } from './root-key.js';

export const ROOT_KEY_HEADER = 'x-ca-root-key';
export const ORG_KEY_HEADER = 'x-api-key';

export interface PolicyDeps {
  rootKey: string | undefined;
  authDisabled: boolean;
  orgKeys: OrgKeyVerifier;
}

const LIVE_STATUSES = new Set(['ACTIVE', 'TRIAL']);

/** Enforces a route's declared policy; throws 401/403 errors, returns who the caller is. */
export async function authorize(route: RouteDef, headers: Headers, params: Record<string, unknown>, deps: PolicyDeps): Promise<Principal> {
  if (route.auth === 'public') return { kind: 'anonymous' };
  if (deps.authDisabled) return { kind: 'auth-disabled' };

  if (route.auth === 'root') {
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
  if (isMutating(route) && !key.scopes.some((s) => s === 'write' || s === 'admin')) {
    throw new ForbiddenError('This API key has read-only scope');
  }
  return { kind: 'org', orgSlug: key.orgSlug, keyId: key.keyId, scopes: key.scopes };
}
