import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';

import type { RateDecision, RateGate } from '../context/index.js';

export type { RateDecision };

/** Budgets are per minute (configs/system/rate-limits.yml states them so). */
export const WINDOW_SECONDS = 60;

/**
 * Counts requests per key in fixed windows with rate-limiter-flexible. In memory by default: each
 * Cloud Functions instance then counts on its own, so N warm instances allow up to N times a
 * budget. With a Redis-compatible store (Memorystore in production) every instance shares one
 * budget. If that store cannot be reached, requests are served (fail open) and a warning is
 * logged at most once a minute: the limits protect the warehouse and the org's fair share, and a
 * Memorystore outage must not turn into an outage of the whole API. Auth is not affected by it.
 */
export class RateLimiter implements RateGate {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private lastWarning = 0;
  /** The in-memory store: per key and limit, the window's end and the points used in it. */
  private readonly windows = new Map<string, { endsAt: number; used: number }>();
  private nextSweep = 0;

  readonly windowSeconds: number;
  /**
   * In memory, a fixed window per key that starts with its first request (as
   * rate-limiter-flexible's memory store counts), answered synchronously: no promise and no
   * timer per request. Absent with a shared store, which is asked over the network.
   */
  readonly consumeNow?: (key: string, limit: number) => RateDecision;

  constructor(private readonly opts: { windowSeconds: number; redis?: Redis; logger: Logger; prefix?: string; now?: () => number }) {
    this.windowSeconds = opts.windowSeconds;
    if (!opts.redis) this.consumeNow = (key, limit) => this.countInMemory(key, limit);
  }

  private countInMemory(key: string, limit: number): RateDecision {
    const now = (this.opts.now ?? Date.now)();
    const id = `${limit}:${key}`;
    let w = this.windows.get(id);
    if (!w || w.endsAt <= now) {
      if (now >= this.nextSweep) this.sweep(now);
      w = { endsAt: now + this.windowSeconds * 1000, used: 0 };
      this.windows.set(id, w);
    }
    w.used += 1;
    const resetSeconds = Math.max(1, Math.ceil((w.endsAt - now) / 1000));
    return { allowed: w.used <= limit, limit, remaining: Math.max(0, limit - w.used), resetSeconds };
  }

  /** Drops ended windows, at most once a window, so keys that stopped calling do not pile up. */
  private sweep(now: number): void {
    this.nextSweep = now + this.windowSeconds * 1000;
    for (const [id, w] of this.windows) if (w.endsAt <= now) this.windows.delete(id);
  }

  async consume(key: string, limit: number): Promise<RateDecision> {
    if (this.consumeNow) return this.consumeNow(key, limit);
    const limiter = this.limiterFor(limit);
    try {
      const res = await limiter.consume(key, 1);
      return decision(true, limit, res);
    } catch (err) {
      if (err instanceof RateLimiterRes) return decision(false, limit, err);
      this.warn(err);
      return { allowed: true, limit, remaining: limit, resetSeconds: this.opts.windowSeconds };
    }
  }

  private limiterFor(points: number): RateLimiterAbstract {
    let limiter = this.limiters.get(String(points));
    if (!limiter) {
      const common = { points, duration: this.opts.windowSeconds, keyPrefix: `${this.opts.prefix ?? 'ca-rl'}:${points}` };
      limiter = this.opts.redis
        ? new RateLimiterRedis({ ...common, storeClient: this.opts.redis, rejectIfRedisNotReady: true })
        : new RateLimiterMemory(common);
      this.limiters.set(String(points), limiter);
    }
    return limiter;
  }

  private warn(err: unknown): void {
    const now = (this.opts.now ?? Date.now)();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.opts.logger.log('WARNING', 'rate-limit store unreachable: serving requests without limits (fail open)', { error: err });
  }
}

function decision(allowed: boolean, limit: number, res: RateLimiterRes): RateDecision {
  return { allowed, limit, remaining: Math.max(0, res.remainingPoints), resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** The IETF draft's three headers (RateLimit-Limit / -Remaining / -Reset, reset in seconds). */
export function rateLimitHeaders(d: RateDecision): Record<string, string> {
  return { 'ratelimit-limit': String(d.limit), 'ratelimit-remaining': String(d.remaining), 'ratelimit-reset': String(d.resetSeconds) };
}
