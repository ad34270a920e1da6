import { defineRoute } from '@cloudact/shared';
import { chatProviders } from '@cloudact/shared/integrations/chat-settings/providers';
import { ChatProviders } from '../../../chat-settings.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const chatProvidersRoute = defineRoute({
  method: 'GET', path: '/api/v1/chat-settings/{org_slug}/providers', auth: 'org', tags: ['chat-settings'],
  summary: 'The assistant\'s providers, their models (from the pricing defaults) and whether the org has a VALID credential of each',
  params: OrgParams,
  response: ChatProviders,
  async handler({ params, ctx }) {
    return chatProviders(ctx, { orgSlug: params.org_slug });
  },
});
