import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { RateLimiter, WINDOW_SECONDS } from './limiter.js';

/**
 * The instance's limiter. ioredis is imported only when a shared store is configured, so the
 * default costs nothing at cold start. The client never queues commands while disconnected:
 * a request must not wait on a store that is down (the limiter then fails open), and no command
 * waits more than 200 ms on a half-open connection (a Memorystore failover).
 */
export async function createRateLimiter(config: Pick<Config, 'rateLimitRedisUrl'>, logger: Logger): Promise<RateLimiter> {
  const windowSeconds = WINDOW_SECONDS;
  if (!config.rateLimitRedisUrl) return new RateLimiter({ windowSeconds, logger });
  const { Redis } = await import('ioredis');
  const redis = new Redis(config.rateLimitRedisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 200, lazyConnect: false });
  // ioredis reports connection errors as events; the limiter's own warning (once a minute) is the signal.
  redis.on('error', () => undefined);
  // Start with the connection up when it comes within a second; otherwise serve (fail open) until it does.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    redis.once('ready', () => { clearTimeout(timer); resolve(); });
  });
  return new RateLimiter({ windowSeconds, logger, redis });
}
