import { defineRoute, download } from '@cloudact/shared';
import { downloadPipelineRun } from '@cloudact/shared/pipelines/runs/download';
import { DownloadQuery, RunParams } from '../../../../../schemas.js';

export const downloadRunRoute = defineRoute({
  method: 'GET', path: '/api/v1/pipelines/{org_slug}/runs/{pipeline_logging_id}/download', auth: 'org', tags: ['pipelines'],
  summary: 'A run\'s log as an attachment: json (the run, its steps and DQ results) or csv (one line per step)',
  params: RunParams,
  query: DownloadQuery,
  response: download(['application/json', 'text/csv']),
  async handler({ params, query, ctx }) {
    const out = await downloadPipelineRun(ctx, { orgSlug: params.org_slug, pipelineLoggingId: params.pipeline_logging_id, format: query.format });
    return new Response(out.body, { status: 200, headers: { 'content-type': out.contentType, 'content-disposition': `attachment; filename="${out.filename}"` } });
  },
});
