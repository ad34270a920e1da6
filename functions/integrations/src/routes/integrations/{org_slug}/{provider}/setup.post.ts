import { defineRoute } from '@cloudact/shared';
import { setupIntegration } from '@cloudact/shared/integrations/credentials/setup';
import { CheckResponse, ProviderParams, SetupBody } from '../../../../schemas.js';

export const setupIntegrationRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/setup', auth: 'org', tags: ['integrations'],
  summary: 'Check a credential with the provider, then store it encrypted (never returned); 502 when the provider is unreachable',
  params: ProviderParams,
  body: SetupBody,
  response: CheckResponse,
  async handler({ params, body, ctx }) {
    return setupIntegration(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
