import { defineRoute } from '@cloudact/shared';
import { saveChatSettings } from '@cloudact/shared/integrations/chat-settings/save';
import { ChatSettings, SaveChatSettingsBody } from '../../chat-settings.schemas.js';
import { OrgParams } from '../../schemas.js';

export const saveChatSettingsRoute = defineRoute({
  method: 'POST', path: '/api/v1/chat-settings/{org_slug}', auth: 'org', tags: ['chat-settings'],
  summary: 'Save the assistant\'s settings (201); they replace the active ones in one decision. The credential must be the provider\'s active VALID one',
  params: OrgParams,
  body: SaveChatSettingsBody,
  response: ChatSettings,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return saveChatSettings(ctx, { orgSlug: params.org_slug, ...body });
  },
});
