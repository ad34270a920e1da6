import { defineRoute } from '@cloudact/shared';
import { getPipelineRun } from '@cloudact/shared/pipelines/runs/get';
import { RunDetailResponse, RunParams } from '../../../../schemas.js';

export const getRunRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}', auth: 'org', tags: ['pipelines'],
  summary: 'One run with its run_metadata, its steps (the final row of each; RUNNING or LOST when it never came) and its data-quality results',
  params: RunParams,
  response: RunDetailResponse,
  async handler({ params, ctx }) {
    return getPipelineRun(ctx, { orgSlug: params.org_slug, pipelineLoggingId: params.pipeline_logging_id });
  },
});
