import { defineRoute } from '@cloudact/shared';
import { deleteOrgChannel } from '@cloudact/shared/alerts/channels/delete';
import { ChannelParams, NoContent } from '../../../../schemas.js';

export const deleteChannelRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/notifications/{org_slug}/channels/{channel_id}', auth: 'org', tags: ['notifications'],
  summary: 'Delete a channel (204)',
  params: ChannelParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await deleteOrgChannel(ctx, { orgSlug: params.org_slug, channelId: params.channel_id });
    return undefined;
  },
});
