import { defineRoute } from '@cloudact/shared';
import { getChatSettings } from '@cloudact/shared/integrations/chat-settings/get';
import { ChatSettings } from '../../chat-settings.schemas.js';
import { OrgParams } from '../../schemas.js';

export const getChatSettingsRoute = defineRoute({
  method: 'GET', path: '/api/v1/chat-settings/{org_slug}', auth: 'org', tags: ['chat-settings'],
  summary: 'The in-app assistant\'s active settings (200 null when none)',
  params: OrgParams,
  response: ChatSettings.nullable(),
  async handler({ params, ctx }) {
    return getChatSettings(ctx, { orgSlug: params.org_slug });
  },
});
