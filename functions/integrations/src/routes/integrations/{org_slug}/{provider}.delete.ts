import { defineRoute } from '@cloudact/shared';
import { removeIntegration } from '@cloudact/shared/integrations/credentials/remove';
import { DeleteResponse, ProviderParams } from '../../../schemas.js';

export const deleteIntegrationRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/integrations/{org_slug}/{provider}', auth: 'org', tags: ['integrations'],
  summary: 'Deactivate the provider\'s credential (kept for audit, never used again)',
  params: ProviderParams,
  response: DeleteResponse,
  async handler({ params, ctx }) {
    return removeIntegration(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
