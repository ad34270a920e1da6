import type { RouteDef } from '@cloudact/shared';
import { listIntegrationsRoute } from './routes/integrations/{org_slug}.get.js';
import { deleteIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.delete.js';
import { getIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.get.js';
import { updateIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.put.js';
import { setupIntegrationRoute } from './routes/integrations/{org_slug}/{provider}/setup.post.js';
import { validateIntegrationRoute } from './routes/integrations/{org_slug}/{provider}/validate.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/integrations'] as const;

/** The integrations function's route table: provider credentials, LLM pricing and LLM subscriptions. */
export const routes: readonly RouteDef[] = [
  listIntegrationsRoute,
  getIntegrationRoute,
  updateIntegrationRoute,
  deleteIntegrationRoute,
  setupIntegrationRoute,
  validateIntegrationRoute,
];
