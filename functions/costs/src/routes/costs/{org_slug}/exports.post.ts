import { defineRoute } from '@cloudact/shared';
import { startCostExport } from '@cloudact/shared/costs/exports/start';
import { ExportJobBody, ExportJobResponse, OrgParams } from '../../../costs.schemas.js';

export const exportJobStartRoute = defineRoute({
  method: 'POST', path: '/api/v1/costs/{org_slug}/exports', auth: 'org', tags: ['costs'],
  summary: 'Start an export job (csv, parquet or FOCUS; any range up to 400 days): 202 with its id; poll GET .../exports/{export_id} for the download URL',
  params: OrgParams,
  body: ExportJobBody,
  response: ExportJobResponse,
  successStatus: 202,
  async handler({ params, body, ctx }) {
    const { columns, providers, service_categories, ...rest } = body;
    const list = (v: string[] | undefined) => v?.map((x) => x.trim()).filter(Boolean);
    return startCostExport(ctx, {
      orgSlug: params.org_slug, ...rest,
      ...(columns ? { columns: list(columns)! } : {}),
      ...(providers ? { providers: list(providers)! } : {}),
      ...(service_categories ? { service_categories: list(service_categories)! } : {}),
    });
  },
});
