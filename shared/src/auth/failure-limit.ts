import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors.js';

/**
 * Failed authentications per client address. Once an address is over its limit, every key
 * from it that fails is refused with 429 and Retry-After (policy.ts); a key that verifies
 * passes whatever the address did, since many clients may share one address (a NAT), and one
 * client's bad keys must not lock the others out. So it bounds guessing, not lookups: a random
 * well-formed org key still costs its warehouse query (the negative cache absorbs repeats of
 * one key). Per instance (in memory): N instances allow up to N times the limit.
 */
export class AuthFailureLimiter {
  private readonly limiter: RateLimiterMemory;

  constructor(private readonly perMinute: number) {
    this.limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  }

  /** Throws 429 when the address has used up its failures (asked once a key has failed). */
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
