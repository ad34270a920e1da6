import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../src/limits/create.js';
import { RateLimiter } from '../src/limits/limiter.js';
import { budgetFor, ratePolicy } from '../src/limits/policy.js';
import { memoryLogger } from './support/deps.js';
import { hasRedisServer, startRedis } from './support/redis.js';

describe('rate-limit policy (configs/system/rate-limits.yml)', () => {
  it('gives each plan and the root key a budget per class; cost data is 60/min on the common plans', () => {
    const p = ratePolicy();
    expect(budgetFor(p, { kind: 'org', plan: 'STARTER' }, 'costs')).toBe(60);
    expect(budgetFor(p, { kind: 'org', plan: 'STARTER' }, 'mutation')).toBeLessThan(budgetFor(p, { kind: 'org', plan: 'STARTER' }, 'read'));
    expect(budgetFor(p, { kind: 'org', plan: 'NO_SUCH_PLAN' }, 'read')).toBe(p.default.read);
    expect(budgetFor(p, { kind: 'root' }, 'mutation')).toBe(p.root.mutation);
  });
});

describe('in memory (per instance)', () => {
  it('allows the budget, then refuses with the seconds until the window resets', async () => {
    const limiter = new RateLimiter({ windowSeconds: 60, logger: memoryLogger() });
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push(await limiter.consume('org:a:read', 3));
    expect(seen.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(seen.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    expect(seen[3]!.resetSeconds).toBeGreaterThan(0);
    expect((await limiter.consume('org:b:read', 3)).allowed).toBe(true);
  });
});

describe.skipIf(!hasRedisServer)('shared through a real redis-server', () => {
  it('two instances (two limiters, two connections) draw on one budget', async () => {
    const redis = await startRedis();
    try {
      const logger = memoryLogger();
      const [a, b] = await Promise.all([createRateLimiter({ rateLimitRedisUrl: redis.url }, logger), createRateLimiter({ rateLimitRedisUrl: redis.url }, logger)]);
      const decisions = [];
      for (let i = 0; i < 6; i++) decisions.push(await (i % 2 ? b : a).consume('org:shared:costs', 5));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
      // Memory limiters would each have allowed all six.
      const memory = [new RateLimiter({ windowSeconds: 60, logger }), new RateLimiter({ windowSeconds: 60, logger })];
      const alone = [];
      for (let i = 0; i < 6; i++) alone.push(await memory[i % 2]!.consume('org:shared:costs', 5));
      expect(alone.every((d) => d.allowed)).toBe(true);
    } finally {
      await redis.stop();
    }
  });

  it('when the store goes away, requests are served (fail open) and a warning is logged at most once a minute', async () => {
    const redis = await startRedis();
    const logger = memoryLogger();
    const limiter = await createRateLimiter({ rateLimitRedisUrl: redis.url }, logger);
    expect((await limiter.consume('org:x:read', 1)).allowed).toBe(true);
    await redis.stop();
    await new Promise((r) => setTimeout(r, 200));
    const afterOutage = await Promise.all([limiter.consume('org:x:read', 1), limiter.consume('org:x:read', 1)]);
    expect(afterOutage.every((d) => d.allowed)).toBe(true);
    expect(logger.lines.filter((l) => /fail open/.test(String(l.message)))).toHaveLength(1);
  });
});

describe('redis client sanity', () => {
  it.skipIf(!hasRedisServer)('the test store really is redis', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await redis.stop();
  });
});
