import { defineRoute } from '@cloudact/shared';
import { OrgSlugParams } from '@cloudact/shared/orgs/schemas';
import { listAuditLogs } from '@cloudact/shared/orgs/audit/list';
import { AuditLogsResponse, AuditQuery } from '../../../schemas.js';

export const adminAuditLogsRoute = defineRoute({
  method: 'GET', path: '/api/v1/admin/audit-logs/{org_slug}', auth: 'root', tags: ['admin'],
  summary: 'Page through an org\'s audit log (action, from, to; limit ≤ 100; default last 30 days)',
  params: OrgSlugParams,
  query: AuditQuery,
  response: AuditLogsResponse,
  async handler({ params, query, ctx }) {
    return listAuditLogs(ctx, { orgSlug: params.org_slug, ...query });
  },
});
