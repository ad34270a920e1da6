import { defineRoute } from '@cloudact/shared';
import { removeChatSettings } from '@cloudact/shared/integrations/chat-settings/remove';
import { z } from 'zod';
import { SettingParams } from '../../../chat-settings.schemas.js';

export const deleteChatSettingsRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/chat-settings/{org_slug}/{setting_id}', auth: 'org', tags: ['chat-settings'],
  summary: 'Turn the assistant\'s settings off (204)',
  params: SettingParams,
  response: z.undefined(),
  successStatus: 204,
  async handler({ params, ctx }) {
    await removeChatSettings(ctx, { orgSlug: params.org_slug, settingId: params.setting_id });
    return undefined;
  },
});
