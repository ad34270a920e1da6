import { defineRoute } from '@cloudact/shared';
import { updateChatSettings } from '@cloudact/shared/integrations/chat-settings/update';
import { ChatSettings, SettingParams, UpdateChatSettingsBody } from '../../../chat-settings.schemas.js';

export const updateChatSettingsRoute = defineRoute({
  method: 'PUT', path: '/api/v1/chat-settings/{org_slug}/{setting_id}', auth: 'org', tags: ['chat-settings'],
  summary: 'Change the active settings in place (404 when setting_id is not the active one)',
  params: SettingParams,
  body: UpdateChatSettingsBody,
  response: ChatSettings,
  async handler({ params, body, ctx }) {
    return updateChatSettings(ctx, { orgSlug: params.org_slug, settingId: params.setting_id, change: body });
  },
});
