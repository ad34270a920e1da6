import { defineRoute } from '@cloudact/shared';
import { getOrgHistory } from '@cloudact/shared/alerts/history/read';
import { HistoryEntry, HistoryParams } from '../../../../schemas.js';

export const getHistoryRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/history/{history_id}', auth: 'org', tags: ['notifications'],
  summary: 'One delivery attempt (of the last 90 days)',
  params: HistoryParams,
  response: HistoryEntry,
  async handler({ params, ctx }) {
    return getOrgHistory(ctx, { orgSlug: params.org_slug, historyId: params.history_id });
  },
});
