import { defineRoute } from '@cloudact/shared';
import { listRunSteps } from '@cloudact/shared/pipelines/runs/get';
import { RunParams, StepsQuery, StepsResponse } from '../../../../../schemas.js';

export const listStepsRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/steps', auth: 'org', tags: ['pipelines'],
  summary: 'A run\'s steps, one per step (the final row; RUNNING while the run may still write it, LOST when the run ended without it), by status shown',
  params: RunParams,
  query: StepsQuery,
  response: StepsResponse,
  async handler({ params, query, ctx }) {
    return listRunSteps(ctx, { orgSlug: params.org_slug, pipelineLoggingId: params.pipeline_logging_id, ...query });
  },
});
