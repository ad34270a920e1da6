import { defineRoute, Reply } from '@cloudact/shared';
import { retryPipelineRun } from '@cloudact/shared/pipelines/runs/retry';
import { RetryResponse, RunParams } from '../../../../../schemas.js';

export const retryRunRoute = defineRoute({
  method: 'POST', path: '/api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/retry', auth: 'org', tags: ['pipelines'],
  summary: 'Asks the pipeline service to run the pipeline again with the run\'s parameters and answers its new run id; 501 when the pipeline service\'s URL is not configured (never a false success)',
  params: RunParams,
  response: RetryResponse,
  alsoReplies: [501],
  async handler({ params, ctx, request }) {
    const out = await retryPipelineRun(ctx, { orgSlug: params.org_slug, pipelineLoggingId: params.pipeline_logging_id, orgApiKey: request.headers.get('x-api-key') ?? '' });
    const body = {
      success: out.forwarded, org_slug: params.org_slug, retried_pipeline_logging_id: params.pipeline_logging_id, pipeline_id: out.pipeline_id,
      new_pipeline_logging_id: out.forwarded ? out.new_pipeline_logging_id : null, message: out.message,
    };
    return out.forwarded ? body : new Reply(501, body);
  },
});
