import { defineRoute } from '@cloudact/shared';
import { listOrgSummaries } from '@cloudact/shared/alerts/summaries/read';
import { ListSummariesQuery, OrgParams, SummaryList } from '../../../schemas.js';

export const listSummariesRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/summaries', auth: 'org', tags: ['notifications'],
  summary: 'The org\'s scheduled digests with last_sent_at and next_scheduled_at',
  params: OrgParams,
  query: ListSummariesQuery,
  response: SummaryList,
  async handler({ params, query, ctx }) {
    return listOrgSummaries(ctx, { orgSlug: params.org_slug, ...query });
  },
});
