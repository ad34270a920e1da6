import { defineRoute } from '@cloudact/shared';
import { notificationStats } from '@cloudact/shared/alerts/history/read';
import { OrgParams, Stats } from '../../../schemas.js';

export const statsRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/stats', auth: 'org', tags: ['notifications'],
  summary: 'Channels, rules, the last 24 hours\' notifications and alerts, delivery rate (0-100) and unacknowledged alerts',
  params: OrgParams,
  response: Stats,
  async handler({ params, ctx }) {
    return notificationStats(ctx, { orgSlug: params.org_slug });
  },
});
