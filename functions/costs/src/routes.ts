import type { RouteDef } from '@cloudact/shared';
import { exchangeRatesRoute } from './routes/admin/exchange-rates.post.js';
import { rowsRoute } from './routes/costs/{org_slug}.get.js';
import { byProviderRoute } from './routes/costs/{org_slug}/by-provider.get.js';
import { byServiceRoute } from './routes/costs/{org_slug}/by-service.get.js';
import { cloudRoute } from './routes/costs/{org_slug}/cloud.get.js';
import { cacheInvalidateRoute } from './routes/costs/{org_slug}/cache/invalidate.post.js';
import { cacheStatsRoute } from './routes/costs/{org_slug}/cache/stats.get.js';
import { summaryRoute } from './routes/costs/{org_slug}/summary.get.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/costs', '/api/v1/admin/exchange-rates'] as const;

/** The costs function's route table: one FOCUS 1.2 ledger, read in the org's currency and local days. */
export const routes: readonly RouteDef[] = [
  rowsRoute,
  summaryRoute,
  byProviderRoute,
  byServiceRoute,
  cloudRoute,
  cacheStatsRoute,
  cacheInvalidateRoute,
  exchangeRatesRoute,
];
