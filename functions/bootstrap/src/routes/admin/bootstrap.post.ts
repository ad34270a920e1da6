import { defineRoute, forgetEverything } from '@cloudact/shared';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { BootstrapBody, BootstrapResponse } from '../../schemas.js';

export const bootstrapRoute = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/bootstrap',
  auth: 'root',
  tags: ['admin'],
  summary: 'Create the central organizations dataset and its 15 meta tables (idempotent)',
  body: BootstrapBody,
  response: BootstrapResponse,
  async handler({ body, ctx }) {
    return bootstrapCentral(
      { warehouse: ctx.warehouse, environment: ctx.config.environment, tables: centralTables(), logger: ctx.logger, clock: ctx.clock, forgetCaches: () => forgetEverything(ctx) },
      body,
      { requestId: ctx.requestId, actor: ctx.actor, clientRequestId: ctx.clientRequestId },
    );
  },
});
