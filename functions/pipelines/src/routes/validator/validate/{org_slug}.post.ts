import { defineRoute } from '@cloudact/shared';
import { validatePipelineRun } from '@cloudact/shared/pipelines/usage/admit';
import { OrgParams, ValidateBody, ValidateResponse } from '../../../schemas.js';

export const validateRoute = defineRoute({
  method: 'POST', path: '/api/v1/validator/validate/{org_slug}', auth: 'org', tags: ['pipelines'],
  summary: 'Admission of one pipeline run (the pipeline service calls it first): one conditional statement checks the plan\'s daily, monthly and concurrent limits and reserves a slot; a refusal is valid: false with error_code',
  params: OrgParams,
  body: ValidateBody,
  response: ValidateResponse,
  async handler({ params, body, ctx }) {
    return validatePipelineRun(ctx, { orgSlug: params.org_slug, pipelineId: body.pipeline_id });
  },
});
