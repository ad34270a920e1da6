import { defineRoute } from '@cloudact/shared';
import { updateChannel } from '@cloudact/shared/alerts/channels/update';
import { Channel, ChannelParams, UpdateChannelBody } from '../../../../schemas.js';

export const updateChannelRoute = defineRoute({
  method: 'PUT', path: '/api/v1/notifications/{org_slug}/channels/{channel_id}', auth: 'org', tags: ['notifications'],
  summary: 'Change a channel (its type stays); a new URL or headers are encrypted again',
  params: ChannelParams,
  body: UpdateChannelBody,
  response: Channel,
  async handler({ params, body, ctx }) {
    return updateChannel(ctx, { orgSlug: params.org_slug, channelId: params.channel_id, ...body });
  },
});
