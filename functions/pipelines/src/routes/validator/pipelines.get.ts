import { defineRoute } from '@cloudact/shared';
import { listPipelines } from '@cloudact/shared/pipelines/registry/list';
import { RegistryQuery, RegistryResponse } from '../../schemas.js';

export const listRegistryRoute = defineRoute({
  method: 'GET', path: '/api/v1/validator/pipelines', auth: 'public', tags: ['pipelines'],
  summary: 'The pipeline registry (configs/system/pipelines.yml): every pipeline, or one provider\'s; enabled_only holds either way',
  query: RegistryQuery,
  response: RegistryResponse,
  async handler({ query }) {
    return listPipelines({ ...(query.provider ? { provider: query.provider } : {}), enabledOnly: query.enabled_only });
  },
});
