import { defineRoute, forgetEverything } from '@cloudact/shared';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { BootstrapBody, BootstrapResponse } from '../../schemas.js';

export const bootstrapRoute = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/bootstrap',
  auth: 'root',
  tags: ['admin'],
  summary: 'Create the central organizations dataset and its 16 tables (15 meta tables and exchange_rates; idempotent)',
  body: BootstrapBody,
  response: BootstrapResponse,
  async handler({ body, ctx }) {
    return bootstrapCentral(
      { ...ctx, environment: ctx.config.environment, tables: centralTables(), forgetCaches: () => forgetEverything(ctx) },
      body,
    );
  },
});
