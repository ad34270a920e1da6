import { defineRoute } from '@cloudact/shared';
import { getOrgSummary } from '@cloudact/shared/alerts/summaries/read';
import { Summary, SummaryParams } from '../../../../schemas.js';

export const getSummaryRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/summaries/{summary_id}', auth: 'org', tags: ['notifications'],
  summary: 'One scheduled digest',
  params: SummaryParams,
  response: Summary,
  async handler({ params, ctx }) {
    return getOrgSummary(ctx, { orgSlug: params.org_slug, summaryId: params.summary_id });
  },
});
