import { defineRoute } from '@cloudact/shared';
import { getCostExport } from '@cloudact/shared/costs/exports/get';
import { ExportJobResponse, ExportParams } from '../../../../costs.schemas.js';

export const exportJobStatusRoute = defineRoute({
  method: 'GET', path: '/api/v1/costs/{org_slug}/exports/{export_id}', auth: 'org', tags: ['costs'],
  summary: "An export job's status (RUNNING, DONE, FAILED) and, when done, a time-limited download URL per file",
  params: ExportParams,
  response: ExportJobResponse,
  async handler({ params, ctx }) {
    return getCostExport(ctx, { orgSlug: params.org_slug, exportId: params.export_id });
  },
});
