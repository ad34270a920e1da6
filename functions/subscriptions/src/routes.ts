import type { RouteDef } from '@cloudact/shared';
import { allPlansRoute } from './routes/subscriptions/{org_slug}/all-plans.get.js';
import { listProvidersRoute } from './routes/subscriptions/{org_slug}/providers.get.js';
import { availablePlansRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/available-plans.get.js';
import { disableProviderRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/disable.post.js';
import { enableProviderRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/enable.post.js';
import { listPlansRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans.get.js';
import { createPlanRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans.post.js';
import { endPlanRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}.delete.js';
import { updatePlanRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}.put.js';
import { editVersionRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/edit-version.post.js';
import { planHistoryRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/plans/{subscription_id}/history.get.js';
import { resetProviderRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/reset.post.js';
import { togglePlanRoute } from './routes/subscriptions/{org_slug}/providers/{provider}/toggle/{subscription_id}.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/subscriptions'] as const;

/** The subscriptions function's route table: SaaS providers and plans with version history. */
export const routes: readonly RouteDef[] = [
  listProvidersRoute,
  enableProviderRoute,
  disableProviderRoute,
  resetProviderRoute,
  availablePlansRoute,
  listPlansRoute,
  createPlanRoute,
  updatePlanRoute,
  endPlanRoute,
  editVersionRoute,
  planHistoryRoute,
  togglePlanRoute,
  allPlansRoute,
];
