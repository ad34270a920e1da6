import { defineRoute, Reply } from '@cloudact/shared';
import { createChannel } from '@cloudact/shared/alerts/channels/create';
import { CreateChannelBody, CreatedChannel, OrgParams } from '../../../schemas.js';

export const createChannelRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/channels', auth: 'org', tags: ['notifications'],
  summary: 'Add an email, slack or webhook channel (201); each type\'s fields required; a webhook channel\'s signing secret is answered this once',
  params: OrgParams,
  body: CreateChannelBody,
  response: CreatedChannel,
  successStatus: 201,
  secretResponse: true,
  async handler({ params, body, ctx }) {
    return new Reply(201, await createChannel(ctx, { orgSlug: params.org_slug, ...body }));
  },
});
