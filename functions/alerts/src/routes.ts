import type { RouteDef } from '@cloudact/shared';
import { listChannelsRoute } from './routes/notifications/{org_slug}/channels.get.js';
import { createChannelRoute } from './routes/notifications/{org_slug}/channels.post.js';
import { deleteChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.delete.js';
import { getChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.get.js';
import { updateChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.put.js';
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
import { statsRoute } from './routes/notifications/{org_slug}/stats.get.js';

import { processAllRoute } from './routes/admin/alerts/process-all.post.js';

/** URL prefixes this function owns (longest match wins; see onboard's routes.ts). */
export const prefixes = ['/api/v1/notifications', '/api/v1/cost-alerts', '/api/v1/admin/alerts'] as const;

/** The alerts function's route table (issue 20). */
export const routes: readonly RouteDef[] = [
  listChannelsRoute,
  createChannelRoute,
  getChannelRoute,
  updateChannelRoute,
  deleteChannelRoute,
  testChannelRoute,
  listRulesRoute,
  createRuleRoute,
  getRuleRoute,
  updateRuleRoute,
  deleteRuleRoute,
  pauseRuleRoute,
  resumeRuleRoute,
  testRuleRoute,
  listHistoryRoute,
  getHistoryRoute,
  acknowledgeHistoryRoute,
  statsRoute,
  processAllRoute,
];
