import { defineRoute } from '@cloudact/shared';
import { validateChatKey } from '@cloudact/shared/integrations/chat-settings/validate-key';
import { ValidateKeyAnswer, ValidateKeyBody } from '../../../chat-settings.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const validateChatKeyRoute = defineRoute({
  method: 'POST', path: '/api/v1/chat-settings/{org_slug}/validate-key', auth: 'org', tags: ['chat-settings'],
  summary: 'Check the provider\'s active credential with the provider now: {valid, provider, model_id, credential_id, message | error}',
  params: OrgParams,
  body: ValidateKeyBody,
  response: ValidateKeyAnswer,
  async handler({ params, body, ctx }) {
    return validateChatKey(ctx, { orgSlug: params.org_slug, ...body });
  },
});
