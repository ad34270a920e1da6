import { defineRoute } from '@cloudact/shared';
import { sendSummaryNow } from '@cloudact/shared/alerts/summaries/send-now';
import { SummaryParams, SummarySendResult } from '../../../../../schemas.js';

export const sendSummaryNowRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/summaries/{summary_id}/send-now', auth: 'org', tags: ['notifications'],
  summary: 'Build and deliver the digest now, whatever its schedule (which stays); every attempt in the history as notification_type summary',
  params: SummaryParams,
  response: SummarySendResult,
  async handler({ params, ctx }) {
    return sendSummaryNow(ctx, { orgSlug: params.org_slug, summaryId: params.summary_id });
  },
});
