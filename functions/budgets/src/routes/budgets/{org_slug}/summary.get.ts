import { defineRoute } from '@cloudact/shared';
import { budgetSummary } from '@cloudact/shared/budgets/budgets/summary';
import { OrgParams, SummaryQuery, SummaryResponse } from '../../../schemas.js';

export const summaryRoute = defineRoute({
  method: 'GET', path: '/api/v1/budgets/{org_slug}/summary', auth: 'org', tags: ['budgets'],
  summary: 'Active budgets with actual (EffectiveCost by default), forecast (median, 80 % interval, exhaustion date, backtest), variance and thresholds crossed; totals in the org\'s currency, each amount once',
  params: OrgParams,
  query: SummaryQuery,
  response: SummaryResponse,
  rateClass: 'costs',
  async handler({ params, query, ctx }) {
    return budgetSummary(ctx, { orgSlug: params.org_slug, ...query });
  },
});
