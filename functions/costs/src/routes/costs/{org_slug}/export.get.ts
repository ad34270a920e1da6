import { defineRoute, download } from '@cloudact/shared';
import { exportCosts } from '@cloudact/shared/costs/export/export';
import { ExportQueryZ, OrgParams } from '../../../costs.schemas.js';

export const exportRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/export', auth: 'org', tags: ['costs'],
  summary: 'The ledger rows of a range as a streamed download: csv, json, parquet, or a FOCUS 1.2 CSV (amounts in their billing currency, UTC timestamps)',
  params: OrgParams,
  query: ExportQueryZ,
  response: download(['text/csv', 'application/json', 'application/vnd.apache.parquet']),
  async handler({ params, query, ctx }) {
    const out = await exportCosts(ctx, { orgSlug: params.org_slug, ...query });
    return new Response(out.body, {
      status: 200,
      headers: { 'content-type': out.contentType, 'content-disposition': `attachment; filename="${out.filename}"`, ...out.headers },
    });
  },
});
