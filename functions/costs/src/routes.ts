import type { RouteDef } from '@cloudact/shared';
import { exchangeRatesRoute } from './routes/admin/exchange-rates.post.js';
import { rowsRoute } from './routes/costs/{org_slug}.get.js';
import { byProviderRoute } from './routes/costs/{org_slug}/by-provider.get.js';
import { byServiceRoute } from './routes/costs/{org_slug}/by-service.get.js';
import { byHierarchyRoute } from './routes/costs/{org_slug}/by-hierarchy.get.js';
import { cloudRoute } from './routes/costs/{org_slug}/cloud.get.js';
import { cacheInvalidateRoute } from './routes/costs/{org_slug}/cache/invalidate.post.js';
import { cacheStatsRoute } from './routes/costs/{org_slug}/cache/stats.get.js';
import { summaryRoute } from './routes/costs/{org_slug}/summary.get.js';
import { trendRoute } from './routes/costs/{org_slug}/trend.get.js';
import { trendGranularRoute } from './routes/costs/{org_slug}/trend-granular.get.js';
import { llmRoute } from './routes/costs/{org_slug}/llm.get.js';
import { genaiRoute } from './routes/costs/{org_slug}/genai.get.js';
import { saasRoute } from './routes/costs/{org_slug}/saas-subscriptions.get.js';
import { subscriptionsRoute } from './routes/costs/{org_slug}/subscriptions.get.js';
import { totalRoute } from './routes/costs/{org_slug}/total.get.js';
import { pivotRoute } from './routes/costs/{org_slug}/pivot.get.js';
import { exportRoute } from './routes/costs/{org_slug}/export.get.js';
import { exportMetadataRoute } from './routes/costs/{org_slug}/export/metadata.get.js';
import { exportJobStartRoute } from './routes/costs/{org_slug}/exports.post.js';
import { exportJobStatusRoute } from './routes/costs/{org_slug}/exports/{export_id}.get.js';
import { exportJobDownloadRoute } from './routes/costs/{org_slug}/exports/{export_id}/download.get.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/costs', '/api/v1/admin/exchange-rates'] as const;

/** The costs function's route table: one FOCUS 1.2 ledger, read in the org's currency and local days. */
export const routes: readonly RouteDef[] = [
  rowsRoute,
  summaryRoute,
  byProviderRoute,
  byServiceRoute,
  byHierarchyRoute,
  cloudRoute,
  trendRoute,
  trendGranularRoute,
  llmRoute,
  genaiRoute,
  saasRoute,
  subscriptionsRoute,
  totalRoute,
  pivotRoute,
  exportRoute,
  exportMetadataRoute,
  exportJobStartRoute,
  exportJobStatusRoute,
  exportJobDownloadRoute,
  cacheStatsRoute,
  cacheInvalidateRoute,
  exchangeRatesRoute,
];
