import { defineRoute } from '@cloudact/shared';
import { enableProvider } from '@cloudact/shared/saas/providers/enable';
import { EnableBody, EnableResponse } from '../../../../../providers.schemas.js';
import { ProviderParams } from '../../../../../schemas.js';

export const enableProviderRoute = defineRoute({
  method: 'POST', path: '/api/v1/subscriptions/{org_slug}/providers/{provider}/enable', auth: 'org', tags: ['subscriptions'],
  summary: 'Enable a provider (a name not in the catalog becomes a custom one); seed_plans copies the catalog plans in, disabled, never twice',
  params: ProviderParams,
  body: EnableBody,
  response: EnableResponse,
  async handler({ params, body, ctx }) {
    return enableProvider(ctx, { orgSlug: params.org_slug, provider: params.provider, ...body });
  },
});
