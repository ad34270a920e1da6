import type { RouteDef } from '@cloudact/shared';
import { listChannelsRoute } from './routes/notifications/{org_slug}/channels.get.js';
import { createChannelRoute } from './routes/notifications/{org_slug}/channels.post.js';
import { deleteChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.delete.js';
import { getChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.get.js';
import { updateChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.put.js';
import { rotateSecretRoute } from './routes/notifications/{org_slug}/channels/{channel_id}/rotate-secret.post.js';
import { testChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}/test.post.js';

import { listHistoryRoute } from './routes/notifications/{org_slug}/history.get.js';
import { getHistoryRoute } from './routes/notifications/{org_slug}/history/{history_id}.get.js';
import { acknowledgeHistoryRoute } from './routes/notifications/{org_slug}/history/{history_id}/acknowledge.post.js';
import { listRulesRoute } from './routes/notifications/{org_slug}/rules.get.js';
import { createRuleRoute } from './routes/notifications/{org_slug}/rules.post.js';
import { deleteRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}.delete.js';
import { getRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}.get.js';
import { updateRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}.put.js';
import { pauseRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}/pause.post.js';
import { resumeRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}/resume.post.js';
import { testRuleRoute } from './routes/notifications/{org_slug}/rules/{rule_id}/test.post.js';
import { listSummariesRoute } from './routes/notifications/{org_slug}/summaries.get.js';
import { createSummaryRoute } from './routes/notifications/{org_slug}/summaries.post.js';
import { deleteSummaryRoute } from './routes/notifications/{org_slug}/summaries/{summary_id}.delete.js';
import { getSummaryRoute } from './routes/notifications/{org_slug}/summaries/{summary_id}.get.js';
import { updateSummaryRoute } from './routes/notifications/{org_slug}/summaries/{summary_id}.put.js';
import { previewSummaryRoute } from './routes/notifications/{org_slug}/summaries/{summary_id}/preview.post.js';
import { sendSummaryNowRoute } from './routes/notifications/{org_slug}/summaries/{summary_id}/send-now.post.js';
import { statsRoute } from './routes/notifications/{org_slug}/stats.get.js';

import { listCostAlertsRoute } from './routes/cost-alerts/{org_slug}.get.js';
import { createCostAlertRoute } from './routes/cost-alerts/{org_slug}.post.js';
import { bulkDisableRoute } from './routes/cost-alerts/{org_slug}/bulk/disable.post.js';
import { bulkEnableRoute } from './routes/cost-alerts/{org_slug}/bulk/enable.post.js';
import { fromPresetRoute } from './routes/cost-alerts/{org_slug}/from-preset/{preset_id}.post.js';
import { costAlertPresetsRoute } from './routes/cost-alerts/{org_slug}/presets.get.js';
import { deleteCostAlertRoute } from './routes/cost-alerts/{org_slug}/{alert_id}.delete.js';
import { getCostAlertRoute } from './routes/cost-alerts/{org_slug}/{alert_id}.get.js';
import { updateCostAlertRoute } from './routes/cost-alerts/{org_slug}/{alert_id}.put.js';
import { disableCostAlertRoute } from './routes/cost-alerts/{org_slug}/{alert_id}/disable.post.js';
import { enableCostAlertRoute } from './routes/cost-alerts/{org_slug}/{alert_id}/enable.post.js';
import { processAllRoute } from './routes/admin/alerts/process-all.post.js';
import { listAnomaliesRoute } from './routes/notifications/{org_slug}/anomalies.get.js';
import { detectAnomaliesRoute } from './routes/notifications/{org_slug}/anomalies/detect.post.js';
import { getAnomalyRoute } from './routes/notifications/{org_slug}/anomalies/{anomaly_id}.get.js';
import { acknowledgeAnomalyRoute } from './routes/notifications/{org_slug}/anomalies/{anomaly_id}/acknowledge.post.js';
import { resolveAnomalyRoute } from './routes/notifications/{org_slug}/anomalies/{anomaly_id}/resolve.post.js';
import { ignoreAnomalyRoute } from './routes/notifications/{org_slug}/anomalies/{anomaly_id}/ignore.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/notifications', '/api/v1/cost-alerts', '/api/v1/admin/alerts'] as const;

/** The alerts function's route table (issue 20). Fixed cost-alert paths (presets, bulk, from-preset) come before /{alert_id}. */
export const routes: readonly RouteDef[] = [
  listChannelsRoute,
  createChannelRoute,
  getChannelRoute,
  updateChannelRoute,
  deleteChannelRoute,
  testChannelRoute,
  rotateSecretRoute,
  listRulesRoute,
  createRuleRoute,
  getRuleRoute,
  updateRuleRoute,
  deleteRuleRoute,
  pauseRuleRoute,
  resumeRuleRoute,
  testRuleRoute,
  listSummariesRoute,
  createSummaryRoute,
  getSummaryRoute,
  updateSummaryRoute,
  deleteSummaryRoute,
  previewSummaryRoute,
  sendSummaryNowRoute,
  listHistoryRoute,
  getHistoryRoute,
  acknowledgeHistoryRoute,
  statsRoute,
  processAllRoute,
  listCostAlertsRoute,
  createCostAlertRoute,
  costAlertPresetsRoute,
  fromPresetRoute,
  bulkEnableRoute,
  bulkDisableRoute,
  getCostAlertRoute,
  updateCostAlertRoute,
  deleteCostAlertRoute,
  enableCostAlertRoute,
  disableCostAlertRoute,
  listAnomaliesRoute,
  detectAnomaliesRoute,
  getAnomalyRoute,
  acknowledgeAnomalyRoute,
  resolveAnomalyRoute,
  ignoreAnomalyRoute,
];
