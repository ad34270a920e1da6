import { defineRoute } from '@cloudact/shared';
import { listPipelineRuns } from '@cloudact/shared/pipelines/runs/list';
import { OrgParams, RunsQuery, RunsResponse } from '../../../schemas.js';

export const listRunsRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/{org_slug}/runs', auth: 'org', tags: ['pipelines'],
  summary: 'The org\'s pipeline runs, newest first, started in [start_date, end_date] (UTC days; default the last 30): only those partitions are read',
  params: OrgParams,
  query: RunsQuery,
  response: RunsResponse,
  async handler({ params, query, ctx }) {
    return listPipelineRuns(ctx, { orgSlug: params.org_slug, ...query });
  },
});
