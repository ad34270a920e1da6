import { defineRoute } from '@cloudact/shared';
import { getPipeline } from '@cloudact/shared/pipelines/registry/list';
import { PipelineParams, RegistryPipeline } from '../../../schemas.js';

export const getRegistryPipelineRoute = defineRoute({
  method: 'GET', path: '/api/v1/validator/pipelines/{pipeline_id}', auth: 'public', tags: ['pipelines'],
  summary: 'One pipeline of the registry; 404 when unknown',
  params: PipelineParams,
  response: RegistryPipeline,
  async handler({ params }) {
    return getPipeline({ pipelineId: params.pipeline_id });
  },
});
