import { defineRoute } from '@cloudact/shared';
import { validateIntegration } from '@cloudact/shared/integrations/credentials/validate';
import { CheckResponse, ProviderParams } from '../../../../schemas.js';

export const validateIntegrationRoute = defineRoute({
  method: 'POST', path: '/api/v1/integrations/{org_slug}/{provider}/validate', auth: 'org', tags: ['integrations'],
  summary: 'Check the stored credential with the provider again and record the outcome',
  params: ProviderParams,
  response: CheckResponse,
  async handler({ params, ctx }) {
    return validateIntegration(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
