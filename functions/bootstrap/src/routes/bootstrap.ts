import { defineRoute } from '@cloudact/shared';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { BootstrapBody, BootstrapResponse } from './bootstrap.schemas.js';

export const bootstrapRoute = defineRoute({
  method: 'POST',
  path: '/api/v1/admin/bootstrap',
  auth: 'root',
  tags: ['admin'],
  summary: 'Create the central organizations dataset and its 15 meta tables (idempotent)',
  body: BootstrapBody,
  response: BootstrapResponse,
  async handler({ body, deps, requestId }) {
    return bootstrapCentral(
      { warehouse: deps.warehouse, environment: deps.config.environment, tables: centralTables(), logger: deps.logger, clock: deps.clock },
      body,
      { requestId },
    );
  },
});
