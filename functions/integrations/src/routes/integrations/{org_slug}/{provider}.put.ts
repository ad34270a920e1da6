import { defineRoute } from '@cloudact/shared';
import { updateIntegration } from '@cloudact/shared/integrations/credentials/update';
import { ProviderParams, UpdateBody, UpdateResponse } from '../../../schemas.js';

export const updateIntegrationRoute = defineRoute({
  method: 'PUT', path: '/api/v1/integrations/{org_slug}/{provider}', auth: 'org', tags: ['integrations'],
  summary: 'With a credential: a new setup (checked with the provider); otherwise name and metadata in place',
  params: ProviderParams,
  body: UpdateBody,
  response: UpdateResponse,
  async handler({ params, body, ctx }) {
    return updateIntegration(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
