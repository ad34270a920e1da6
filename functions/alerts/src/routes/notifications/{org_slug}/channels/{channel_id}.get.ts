import { defineRoute } from '@cloudact/shared';
import { getOrgChannel } from '@cloudact/shared/alerts/channels/read';
import { Channel, ChannelParams } from '../../../../schemas.js';

export const getChannelRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/channels/{channel_id}', auth: 'org', tags: ['notifications'],
  summary: 'One notification channel',
  params: ChannelParams,
  response: Channel,
  async handler({ params, ctx }) {
    return getOrgChannel(ctx, { orgSlug: params.org_slug, channelId: params.channel_id });
  },
});
