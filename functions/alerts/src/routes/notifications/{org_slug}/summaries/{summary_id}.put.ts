import { defineRoute } from '@cloudact/shared';
import { updateSummary } from '@cloudact/shared/alerts/summaries/update';
import { Summary, SummaryParams, UpdateSummaryBody } from '../../../../schemas.js';

export const updateSummaryRoute = defineRoute({
  method: 'PUT', path: '/api/v1/notifications/{org_slug}/summaries/{summary_id}', auth: 'org', tags: ['notifications'],
  summary: 'Change a digest; checked again whole, its next send computed again (null while paused)',
  params: SummaryParams,
  body: UpdateSummaryBody,
  response: Summary,
  async handler({ params, body, ctx }) {
    return updateSummary(ctx, { orgSlug: params.org_slug, summaryId: params.summary_id, ...body });
  },
});
