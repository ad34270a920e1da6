import { defineRoute } from '@cloudact/shared';
import { listRunDqResults } from '@cloudact/shared/pipelines/runs/get';
import { DqResponse, RunParams } from '../../../../../schemas.js';

export const listDqResultsRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/dq-results', auth: 'org', tags: ['pipelines'],
  summary: 'The data-quality results a run wrote (org_meta_dq_results): expectations passed and failed per target table',
  params: RunParams,
  response: DqResponse,
  async handler({ params, ctx }) {
    return listRunDqResults(ctx, { orgSlug: params.org_slug, pipelineLoggingId: params.pipeline_logging_id });
  },
});
