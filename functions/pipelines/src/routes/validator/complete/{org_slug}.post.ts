import { defineRoute } from '@cloudact/shared';
import { completePipelineRun } from '@cloudact/shared/pipelines/usage/complete';
import { CompleteQuery, CompleteResponse, OrgParams } from '../../../schemas.js';

export const completeRoute = defineRoute({
  method: 'POST', path: '/api/v1/validator/complete/{org_slug}', auth: 'org', tags: ['pipelines'],
  summary: 'A run ended (the pipeline service calls it last): releases its reservation\'s slot and counts the outcome on the day it was reserved on, once (a repeat changes nothing)',
  params: OrgParams,
  query: CompleteQuery,
  response: CompleteResponse,
  async handler({ params, query, ctx }) {
    return completePipelineRun(ctx, {
      orgSlug: params.org_slug, status: query.pipeline_status,
      ...(query.reservation_id ? { reservationId: query.reservation_id } : {}),
      ...(query.pipeline_logging_id ? { pipelineLoggingId: query.pipeline_logging_id } : {}),
    });
  },
});
