import { defineRoute } from '@cloudact/shared';
import { disableProvider } from '@cloudact/shared/saas/providers/disable';
import { DisableResponse } from '../../../../../providers.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const disableProviderRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/disable', auth: 'org', tags: ['subscriptions'],
  summary: 'Disable a provider: every open plan of it ends today (rows kept for history)',
  params: ProviderParams,
  response: DisableResponse,
  async handler({ params, ctx }) {
    return disableProvider(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
