import { defineRoute } from '@cloudact/shared';
import { deleteOrgSummary } from '@cloudact/shared/alerts/summaries/delete';
import { NoContent, SummaryParams } from '../../../../schemas.js';

export const deleteSummaryRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/notifications/{org_slug}/summaries/{summary_id}', auth: 'org', tags: ['notifications'],
  summary: 'Delete a digest (204)',
  params: SummaryParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await deleteOrgSummary(ctx, { orgSlug: params.org_slug, summaryId: params.summary_id });
    return undefined;
  },
});
