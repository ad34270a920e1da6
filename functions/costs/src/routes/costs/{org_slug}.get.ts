import { defineRoute } from '@cloudact/shared';
import { listCostRows } from '@cloudact/shared/costs/views/rows';
import { OrgParams, RowsQueryZ, RowsResponse } from '../../costs.schemas.js';

export const rowsRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}', auth: 'org', tags: ['costs'],
  summary: 'The ledger rows themselves, newest first: keyset pages (cursor = pagination.next_cursor, any depth) or offset pages (offset at most 10000); limit 1..1000; columns selectable; pagination.total counted with offset paging or include_total=true',
  params: OrgParams,
  query: RowsQueryZ,
  response: RowsResponse,
  async handler({ params, query, ctx }) {
    return listCostRows(ctx, { orgSlug: params.org_slug, ...query });
  },
});
