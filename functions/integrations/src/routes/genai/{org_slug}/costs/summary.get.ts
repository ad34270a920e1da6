import { defineRoute } from '@cloudact/shared';
import { getGenaiCostsSummary } from '@cloudact/shared/costs/views/genai';
import { GenaiSummaryAnswer, GenaiSummaryQuery } from '../../../../genai-costs.schemas.js';
import { OrgParams } from '../../../../schemas.js';

export const genaiCostsSummaryRoute = defineRoute({
  method: 'GET', path: '/api/v1/genai/{org_slug}/costs/summary', auth: 'org', tags: ['genai'], rateClass: 'costs',
  summary: 'GenAI cost totals in the org\'s currency by provider, flow and cost source (and model with include_models)',
  params: OrgParams,
  query: GenaiSummaryQuery,
  response: GenaiSummaryAnswer,
  async handler({ params, query, ctx }) {
    return getGenaiCostsSummary(ctx, { orgSlug: params.org_slug, ...query });
  },
});
