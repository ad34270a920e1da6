import type { RouteDef } from '@cloudact/shared';
import { listIntegrationsRoute } from './routes/integrations/{org_slug}.get.js';
import { deleteIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.delete.js';
import { getIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.get.js';
import { updateIntegrationRoute } from './routes/integrations/{org_slug}/{provider}.put.js';
import { setupIntegrationRoute } from './routes/integrations/{org_slug}/{provider}/setup.post.js';
import { validateIntegrationRoute } from './routes/integrations/{org_slug}/{provider}/validate.post.js';
import { listPricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing.get.js';
import { createPricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing.post.js';
import { bulkUpdatePricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing.patch.js';
import { resetPricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing/reset.post.js';
import { getPricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing/{model_id}.get.js';
import { updatePricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing/{model_id}.put.js';
import { deletePricingRoute } from './routes/integrations/{org_slug}/{provider}/pricing/{model_id}.delete.js';
import { pricingHistoryRoute } from './routes/integrations/{org_slug}/{provider}/pricing/{model_id}/history.get.js';
import { listLlmSubscriptionsRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions.get.js';
import { createLlmSubscriptionRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions.post.js';
import { resetLlmSubscriptionsRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions/reset.post.js';
import { getLlmSubscriptionRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions/{plan_name}.get.js';
import { updateLlmSubscriptionRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions/{plan_name}.put.js';
import { deleteLlmSubscriptionRoute } from './routes/integrations/{org_slug}/{provider}/subscriptions/{plan_name}.delete.js';
import { listGenaiPricingRoute } from './routes/genai/{org_slug}/pricing.get.js';
import { seedGenaiDefaultsRoute } from './routes/genai/{org_slug}/pricing/seed-defaults.post.js';
import { listFlowPricingRoute } from './routes/genai/{org_slug}/pricing/{flow}.get.js';
import { createFlowPriceRoute } from './routes/genai/{org_slug}/pricing/{flow}.post.js';
import { deleteFlowPriceRoute } from './routes/genai/{org_slug}/pricing/{flow}/{identifier}.delete.js';
import { overrideFlowPriceRoute } from './routes/genai/{org_slug}/pricing/{flow}/{identifier}/override.put.js';
import { deleteFlowOverrideRoute } from './routes/genai/{org_slug}/pricing/{flow}/{identifier}/override.delete.js';
import { getChatSettingsRoute } from './routes/chat-settings/{org_slug}.get.js';
import { saveChatSettingsRoute } from './routes/chat-settings/{org_slug}.post.js';
import { chatProvidersRoute } from './routes/chat-settings/{org_slug}/providers.get.js';
import { validateChatKeyRoute } from './routes/chat-settings/{org_slug}/validate-key.post.js';
import { updateChatSettingsRoute } from './routes/chat-settings/{org_slug}/{setting_id}.put.js';
import { deleteChatSettingsRoute } from './routes/chat-settings/{org_slug}/{setting_id}.delete.js';
import { genaiUsageRoute } from './routes/genai/{org_slug}/usage.get.js';
import { genaiCostsRoute } from './routes/genai/{org_slug}/costs.get.js';
import { genaiCostsSummaryRoute } from './routes/genai/{org_slug}/costs/summary.get.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/integrations', '/api/v1/genai', '/api/v1/chat-settings'] as const;

/** The integrations function's route table: provider credentials, LLM pricing and LLM subscriptions, GenAI pricing, chat settings. */
export const routes: readonly RouteDef[] = [
  listIntegrationsRoute,
  getIntegrationRoute,
  updateIntegrationRoute,
  deleteIntegrationRoute,
  setupIntegrationRoute,
  validateIntegrationRoute,
  listPricingRoute,
  createPricingRoute,
  bulkUpdatePricingRoute,
  resetPricingRoute,
  getPricingRoute,
  updatePricingRoute,
  deletePricingRoute,
  pricingHistoryRoute,
  listLlmSubscriptionsRoute,
  createLlmSubscriptionRoute,
  resetLlmSubscriptionsRoute,
  getLlmSubscriptionRoute,
  updateLlmSubscriptionRoute,
  deleteLlmSubscriptionRoute,
  // GenAI pricing (its payg flow shares llm_model_pricing with the routes above). The literal
  // seed-defaults comes before {flow}: the original's was shadowed by its {flow} route.
  listGenaiPricingRoute,
  seedGenaiDefaultsRoute,
  listFlowPricingRoute,
  createFlowPriceRoute,
  deleteFlowPriceRoute,
  overrideFlowPriceRoute,
  deleteFlowOverrideRoute,
  genaiUsageRoute,
  genaiCostsRoute,
  genaiCostsSummaryRoute,
  // The in-app assistant's settings (they point at an integration credential).
  getChatSettingsRoute,
  saveChatSettingsRoute,
  chatProvidersRoute,
  validateChatKeyRoute,
  updateChatSettingsRoute,
  deleteChatSettingsRoute,
];
