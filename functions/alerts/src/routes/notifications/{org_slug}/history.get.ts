import { defineRoute } from '@cloudact/shared';
import { listOrgHistory } from '@cloudact/shared/alerts/history/read';
import { HistoryList, HistoryQuery, OrgParams } from '../../../schemas.js';

export const listHistoryRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/history', auth: 'org', tags: ['notifications'],
  summary: 'Every delivery attempt of the last `days` (1-90, default 7), newest first, by notification_type, channel_id and status',
  params: OrgParams,
  query: HistoryQuery,
  response: HistoryList,
  async handler({ params, query, ctx }) {
    return listOrgHistory(ctx, { orgSlug: params.org_slug, ...query });
  },
});
