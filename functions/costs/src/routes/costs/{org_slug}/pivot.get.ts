import { defineRoute } from '@cloudact/shared';
import { getCostPivot } from '@cloudact/shared/costs/views/pivot';
import { PivotQueryZ, OrgParams, PivotResponse } from '../../../costs.schemas.js';

export const pivotRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/pivot', auth: 'org', tags: ['costs'],
  summary: "Cost by a ledger column (rows) × local day, week, month or another column (columns)",
  params: OrgParams,
  query: PivotQueryZ,
  response: PivotResponse,
  async handler({ params, query, ctx }) {
    return getCostPivot(ctx, { orgSlug: params.org_slug, ...query });
  },
});
