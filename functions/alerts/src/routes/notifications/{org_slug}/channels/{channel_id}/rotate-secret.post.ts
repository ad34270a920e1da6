import { defineRoute } from '@cloudact/shared';
import { rotateSigningSecret } from '@cloudact/shared/alerts/channels/rotate-secret';
import { ChannelParams, RotatedSecret } from '../../../../../schemas.js';

export const rotateSecretRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/channels/{channel_id}/rotate-secret', auth: 'org', tags: ['notifications'],
  summary: 'A new signing secret for a webhook channel, answered once; for 24 hours deliveries carry signatures by it and by the old one (webhook-signature lists both), then by it alone',
  params: ChannelParams,
  response: RotatedSecret,
  secretResponse: true,
  async handler({ params, ctx }) {
    return rotateSigningSecret(ctx, { orgSlug: params.org_slug, channelId: params.channel_id });
  },
});
