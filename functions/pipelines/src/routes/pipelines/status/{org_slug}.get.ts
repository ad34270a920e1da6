import { defineRoute } from '@cloudact/shared';
import { pipelineStatus } from '@cloudact/shared/pipelines/runs/status';
import { OrgParams, StatusResponse } from '../../../schemas.js';

export const statusRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/status/{org_slug}', auth: 'org', tags: ['pipelines'],
  summary: 'Per registry pipeline: its last run and whether it ran and succeeded today, in the org\'s local day',
  params: OrgParams,
  response: StatusResponse,
  async handler({ params, ctx }) {
    return pipelineStatus(ctx, { orgSlug: params.org_slug });
  },
});
