import { defineRoute } from '@cloudact/shared';
import { getLlmCosts } from '@cloudact/shared/costs/views/llm';
import { CostQueryZ, OrgParams, LlmResponse } from '../../../costs.schemas.js';

export const llmRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/llm', auth: 'org', tags: ['costs'],
  summary: "LLM costs per provider and model: cost, input and output tokens, cost per 1k tokens",
  params: OrgParams,
  query: CostQueryZ,
  response: LlmResponse,
  async handler({ params, query, ctx }) {
    return getLlmCosts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
