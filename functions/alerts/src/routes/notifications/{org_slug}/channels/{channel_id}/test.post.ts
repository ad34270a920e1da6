import { defineRoute } from '@cloudact/shared';
import { testChannel } from '@cloudact/shared/alerts/channels/test-delivery';
import { ChannelParams, ChannelTestResult } from '../../../../../schemas.js';

export const testChannelRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/channels/{channel_id}/test', auth: 'org', tags: ['notifications'],
  summary: 'Deliver a test message to the channel\'s own target now; answers the receiver\'s status and words (a failed delivery is success: false, not an error)',
  params: ChannelParams,
  response: ChannelTestResult,
  async handler({ params, ctx }) {
    return testChannel(ctx, { orgSlug: params.org_slug, channelId: params.channel_id });
  },
});
