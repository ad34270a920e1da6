import { defineRoute } from '@cloudact/shared';
import { resetProvider } from '@cloudact/shared/saas/providers/reset';
import { ResetResponse } from '../../../../../providers.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const resetProviderRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/reset', auth: 'org', tags: ['subscriptions'],
  summary: 'Back to the catalog\'s plans (added disabled); the org\'s own plans of the provider end today',
  params: ProviderParams,
  response: ResetResponse,
  async handler({ params, ctx }) {
    return resetProvider(ctx, { orgSlug: params.org_slug, provider: params.provider });
  },
});
