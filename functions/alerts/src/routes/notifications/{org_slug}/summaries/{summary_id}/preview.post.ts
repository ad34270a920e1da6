import { defineRoute } from '@cloudact/shared';
import { previewSummary } from '@cloudact/shared/alerts/summaries/preview';
import { SummaryParams, SummaryPreview } from '../../../../../schemas.js';

export const previewSummaryRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/summaries/{summary_id}/preview', auth: 'org', tags: ['notifications'],
  summary: 'What the digest would say now (its sections in the display currency and local days, against the previous period); nothing sent',
  params: SummaryParams,
  response: SummaryPreview,
  async handler({ params, ctx }) {
    return previewSummary(ctx, { orgSlug: params.org_slug, summaryId: params.summary_id });
  },
});
