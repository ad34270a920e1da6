import { defineRoute } from '@cloudact/shared';
import { listCostRows } from '@cloudact/shared/costs/views/rows';
import { OrgParams, RowsQueryZ, RowsResponse } from '../../costs.schemas.js';

export const rowsRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}', auth: 'org', tags: ['costs'],
  summary: 'The ledger rows themselves, newest first, paged (limit 1..1000, offset at most 10000); pagination.total is the real count',
  params: OrgParams,
  query: RowsQueryZ,
  response: RowsResponse,
  async handler({ params, query, ctx }) {
    return listCostRows(ctx, { orgSlug: params.org_slug, ...query });
  },
});
