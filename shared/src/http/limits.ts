import type { AppDeps, Principal } from '../context/index.js';
import { RateLimitedError } from '../errors.js';
import { rateLimitHeaders, type RateDecision } from '../limits/limiter.js';
import { budgetFor, ratePolicy, type RateClass } from '../limits/policy.js';
import { isMutating, type RouteDef } from './route.js';

/** A route's rate class: its own, else `costs` for the costs function's routes, else by method. */
export function rateClassOf(functionName: string, route: RouteDef): RateClass {
  return route.rateClass ?? (functionName === 'costs' ? 'costs' : isMutating(route) ? 'mutation' : 'read');
}

/**
 * Counts the request against the caller's budget: per org (the key's org, on its plan) or the
 * root key's own, per route class. Returns the RateLimit headers every answer carries; over the
 * budget throws 429 with Retry-After, naming the limit that was hit (the headers are on it too).
 * Public routes and DISABLE_AUTH are not limited here.
 */
export function countRequest(functionName: string, route: RouteDef, principal: Principal, deps: Pick<AppDeps, 'rateLimits' | 'config'>): Record<string, string> | undefined | Promise<Record<string, string> | undefined> {
  if (!deps.rateLimits || (principal.kind !== 'org' && principal.kind !== 'root')) return undefined;
  const cls = rateClassOf(functionName, route);
  const policy = ratePolicy(deps.config.rateLimitsFile);
  const limit = principal.kind === 'root' ? budgetFor(policy, { kind: 'root' }, cls) : budgetFor(policy, { kind: 'org', plan: principal.plan ?? null }, cls);
  const key = principal.kind === 'root' ? `root:${cls}` : `org:${principal.orgSlug}:${cls}`;
  // In memory the count is answered at once (no promise: deployed, each costs several times more
  // under functions-framework's domain); a shared store is asked and awaited.
  const gate = deps.rateLimits;
  if (gate.consumeNow) return decided(gate.consumeNow(key, limit), limit, cls, principal, gate.windowSeconds);
  return gate.consume(key, limit).then((d) => decided(d, limit, cls, principal, gate.windowSeconds));
}

/** The RateLimit headers of an allowed request; a refused one throws 429 carrying them. */
function decided(decision: RateDecision, limit: number, cls: RateClass, principal: Principal & { kind: 'org' | 'root' }, windowSeconds: number): Record<string, string> {
  const headers = rateLimitHeaders(decision);
  if (!decision.allowed) {
    const who = principal.kind === 'root' ? 'the root key' : `organization '${principal.orgSlug}'${principal.plan ? ` on the ${principal.plan} plan` : ''}`;
    throw new RateLimitedError(`Rate limit reached: ${limit} ${cls} requests per minute for ${who}; retry in ${decision.resetSeconds} s`, decision.resetSeconds, {
      limit, window_seconds: windowSeconds, class: cls, scope: principal.kind === 'root' ? 'root' : principal.orgSlug,
    }, headers);
  }
  return headers;
}
