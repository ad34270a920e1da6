import { defineRoute } from '@cloudact/shared';
import { listOrgChannels } from '@cloudact/shared/alerts/channels/read';
import { ChannelList, ListChannelsQuery, OrgParams } from '../../../schemas.js';

export const listChannelsRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/channels', auth: 'org', tags: ['notifications'],
  summary: 'The org\'s notification channels (URLs and headers never answered: slack_webhook_configured, webhook_configured)',
  params: OrgParams,
  query: ListChannelsQuery,
  response: ChannelList,
  async handler({ params, query, ctx }) {
    return listOrgChannels(ctx, { orgSlug: params.org_slug, ...query });
  },
});
