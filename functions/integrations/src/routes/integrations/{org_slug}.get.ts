import { defineRoute } from '@cloudact/shared';
import { listIntegrations } from '@cloudact/shared/integrations/credentials/list';
import { IntegrationsResponse, OrgParams } from '../../schemas.js';

export const listIntegrationsRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}', auth: 'org', tags: ['integrations'],
  summary: 'Status of every provider for the org (NOT_CONFIGURED when absent); never a credential',
  params: OrgParams,
  response: IntegrationsResponse,
  async handler({ params, ctx }) {
    return listIntegrations(ctx, { orgSlug: params.org_slug });
  },
});
