import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';

/**
 * Failed authentications per client address. A random well-formed org key costs a warehouse
 * query (a billed job on BigQuery) and cannot be cached away, since each one is new; so an
 * address that keeps failing is refused before any lookup, with 429 and Retry-After. Per
 * instance (in memory): N instances allow up to N times the limit, which still bounds the cost.
 */
export class AuthFailureLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** Throws 429 when the address has used up its failures. */
  async check(address: string | undefined): Promise<void> {
    const res = await this.limiter.get(key(address));
    if (res && res.consumedPoints >= this.perMinute) throw tooMany(res, this.perMinute);
  }

  async recordFailure(address: string | undefined): Promise<void> {
    try {
      await this.limiter.consume(key(address));
    } catch (res) {
      if (res instanceof RateLimiterRes) return; // already over: check() refuses the next one
      throw res;
    }
  }
}

function key(address: string | undefined): string {
  return address ?? 'unknown';
}

function tooMany(res: RateLimiterRes, perMinute: number): RateLimitedError {
  const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  return new RateLimitedError(`Too many failed authentications from this address; try again in ${retryAfterSeconds} s`, retryAfterSeconds, {
    limit: perMinute, window_seconds: 60, scope: 'failed_authentications_per_client_address',
  });
}
