import { defineRoute, download } from '@cloudact/shared';
import { downloadCostExport } from '@cloudact/shared/costs/exports/download';
import { DownloadQuery, ExportParams } from '../../../../../costs.schemas.js';

export const exportJobDownloadRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/exports/{export_id}/download', auth: 'public', tags: ['costs'],
  summary: "Development only: an export job's file behind its signed, expiring URL (the token is the credential; deployed, the URL is Cloud Storage's)",
  params: ExportParams,
  query: DownloadQuery,
  devOnly: true,
  response: download(['text/csv', 'application/vnd.apache.parquet']),
  async handler({ params, query, ctx }) {
    const file = await downloadCostExport(ctx, { orgSlug: params.org_slug, exportId: params.export_id, token: query.token });
    return new Response(file.body, {
      status: 200,
      headers: { 'content-type': file.contentType, 'content-length': String(file.bytes), 'content-disposition': `attachment; filename="${file.filename}"` },
    });
  },
});
