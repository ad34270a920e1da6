import { defineRoute } from '@cloudact/shared';
import { getIntegration } from '@cloudact/shared/integrations/credentials/list';
import { IntegrationResponse, ProviderParams } from '../../../schemas.js';

export const getIntegrationRoute = defineRoute({
  method: 'GET', path: '/api/v1/integrations/{org_slug}/{provider}', auth: 'org', tags: ['integrations'],
  summary: 'One provider\'s status for the org',
  params: ProviderParams,
  response: IntegrationResponse,
  async handler({ params, ctx }) {
    return getIntegration(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
