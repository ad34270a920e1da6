import { defineRoute, download } from '@cloudact/shared';
import { exportHierarchy } from '@cloudact/shared/hierarchy/csv/export';
import { OrgParams } from '../../../schemas.js';

export const exportRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/export', auth: 'org', tags: ['hierarchy'],
  summary: 'The current entities as CSV (the columns POST /import reads back)',
  params: OrgParams,
  response: download(['text/csv']),
  async handler({ params, ctx }) {
    const out = await exportHierarchy(ctx, { orgSlug: params.org_slug });
    return new Response(out.csv, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${out.filename}"` } });
  },
});
