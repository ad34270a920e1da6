import type { RouteDef } from '@cloudact/shared';
import { listChannelsRoute } from './routes/notifications/{org_slug}/channels.get.js';
import { createChannelRoute } from './routes/notifications/{org_slug}/channels.post.js';
import { deleteChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.delete.js';
import { getChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.get.js';
import { updateChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}.put.js';
import { testChannelRoute } from './routes/notifications/{org_slug}/channels/{channel_id}/test.post.js';

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
];
