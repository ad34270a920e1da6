// A separate process drawing on a rate-limit budget through the shared store, as one Cloud
// Functions instance would: prints how many of its requests were allowed.
import { createRateLimiter } from '../../shared/src/limits/create.js';
import { createLogger } from '../../shared/src/logger.js';

const limiter = await createRateLimiter({ rateLimitRedisUrl: process.env.RATE_LIMIT_REDIS_URL! }, createLogger({ level: 'ERROR' }));
const times = Number(process.env.CONSUME ?? 4);
let allowed = 0;
for (let i = 0; i < times; i++) if ((await limiter.consume(process.env.BUDGET_KEY!, Number(process.env.BUDGET ?? 5))).allowed) allowed++;
console.log(`allowed=${allowed}`);
process.exit(0);
