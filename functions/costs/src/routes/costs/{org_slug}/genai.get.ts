import { defineRoute } from '@cloudact/shared';
import { getLlmCosts } from '@cloudact/shared/costs/views/llm';
import { CostQueryZ, OrgParams, LlmResponse } from '../../../costs.schemas.js';

export const genaiRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/genai', auth: 'org', tags: ['costs'],
  summary: "LLM costs per model (the same answer as /llm, under the web app's name)",
  params: OrgParams,
  query: CostQueryZ,
  response: LlmResponse,
  async handler({ params, query, ctx }) {
    return getLlmCosts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
