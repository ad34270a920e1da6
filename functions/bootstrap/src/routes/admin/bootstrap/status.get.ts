import { defineRoute } from '@cloudact/shared';
import { bootstrapStatus } from '@cloudact/shared/bootstrap/status';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { BootstrapStatusQuery, BootstrapStatusResponse } from '../../../schemas.js';

export const bootstrapStatusRoute = defineRoute({
  method: 'GET',
  path: '/api/v1/admin/bootstrap/status',
  auth: 'root',
  tags: ['admin'],
  summary: 'Compare the central dataset with its schema files: missing and extra tables and columns (cached 30 s; force_refresh=true checks now)',
  query: BootstrapStatusQuery,
  response: BootstrapStatusResponse,
  async handler({ query, ctx }) {
    return bootstrapStatus({ ...ctx, tables: centralTables() }, { forceRefresh: query.force_refresh });
  },
});
