import { describe, expect, it } from 'vitest';
import { createLogger } from '@cloudact/shared';
import { RateLimiter } from '../shared/src/limits/limiter.js';
import { countRequest } from '../shared/src/http/limits.js';
import { loadConfig } from '../shared/src/config.js';
import type { RouteDef } from '../shared/src/http/route.js';
import type { Principal } from '../shared/src/context/index.js';

/** The in-memory limiter answers without a promise (the deployed hot path), with the same fixed-window counts. */
describe('in-memory rate limits, answered at once', () => {
  const logger = createLogger({ level: 'ERROR', write: () => undefined });

  it('counts a fixed window per key from its first request, then starts a new one', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ windowSeconds: 60, logger, now: () => now });
    expect(limiter.consumeNow).toBeTypeOf('function');
    expect(limiter.consumeNow!('org:a:read', 2)).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
    now += 30_000;
    expect(limiter.consumeNow!('org:a:read', 2)).toEqual({ allowed: true, limit: 2, remaining: 0, resetSeconds: 30 });
    expect(limiter.consumeNow!('org:a:read', 2).allowed).toBe(false);
    expect(limiter.consumeNow!('org:b:read', 2).allowed).toBe(true);
    now += 30_000;
    expect(limiter.consumeNow!('org:a:read', 2)).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
  });

  it('countRequest returns the headers, not a promise, and throws 429 at once over the budget', () => {
    const config = loadConfig({ CA_ROOT_API_KEY: 'r'.repeat(40) });
    const rateLimits = new RateLimiter({ windowSeconds: 60, logger });
    const route = { method: 'GET', path: '/x', auth: 'org' } as unknown as RouteDef;
    const principal: Principal = { kind: 'org', orgSlug: 'acme', keyId: 'k', scopes: ['read'], plan: 'STARTER' };
    const first = countRequest('locale', route, principal, { rateLimits, config });
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ 'ratelimit-limit': expect.any(String), 'ratelimit-remaining': expect.any(String) });
    const limit = Number((first as Record<string, string>)['ratelimit-limit']);
    for (let i = 1; i < limit; i++) countRequest('locale', route, principal, { rateLimits, config });
    expect(() => countRequest('locale', route, principal, { rateLimits, config })).toThrow(/Rate limit reached/);
  });
});
