import { defineRoute } from '@cloudact/shared';
import { acknowledgeOrgHistory } from '@cloudact/shared/alerts/history/read';
import { HistoryEntry, HistoryParams } from '../../../../../schemas.js';

export const acknowledgeHistoryRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/history/{history_id}/acknowledge', auth: 'org', tags: ['notifications'],
  summary: 'Acknowledge a notification (and its rule); the first acknowledgement stays',
  params: HistoryParams,
  response: HistoryEntry,
  async handler({ params, ctx }) {
    return acknowledgeOrgHistory(ctx, { orgSlug: params.org_slug, historyId: params.history_id });
  },
});
