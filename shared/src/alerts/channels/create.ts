import { randomBytes, randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { channelAad, type Channel, type ChannelInput, type ChannelType } from './fields.js';
import { channelView, type ChannelView } from './view.js';
import { applyChannelInput, storeChannel } from './write.js';

/**
 * Adds a channel. Slack and webhook URLs and webhook headers are encrypted bound to org, tenant
 * and channel; a webhook channel gets its own Standard Webhooks secret, answered this once
 * (`webhook_signing_secret`). A default channel clears the type's other default in the same
 * statement (store.ts: writeChannel).
 *
 * Round-trips: scope | the MERGE (the lock row made sure of on a tenant's first write) | audit.
 */
export async function createChannel(ctx: Ctx, input: ChannelInput & { orgSlug: string; channel_type: ChannelType; name: string }): Promise<ChannelView & { webhook_signing_secret?: string }> {
  const { orgSlug, ...f } = input;
  const now = ctx.clock();
  const scope = await alertScope(ctx, orgSlug);
  const t = scope.tenant;
  const actor = actorOf(ctx);
  const blank: Channel = {
    channel_id: randomUUID(), org_slug: orgSlug, channel_type: f.channel_type, name: f.name, is_default: false, is_active: true,
    email_recipients: [], email_cc_recipients: [], email_subject_prefix: null, slack_channel: null, slack_mention_users: [], slack_mention_channel: false,
    webhook_method: null, encrypted_target: null, encrypted_signing_secret: null, encrypted_previous_signing_secret: null, previous_secret_expires_at: null,
    created_at: now.toISOString(), created_by: actor, updated_at: now.toISOString(), updated_by: actor,
  };
  const channel = await applyChannelInput(ctx, t, blank, f);
  let secret: string | undefined;
  if (channel.channel_type === 'webhook') {
    secret = `whsec_${randomBytes(24).toString('base64')}`;
    channel.encrypted_signing_secret = await ctx.encryptor.encrypt(secret, channelAad(t.orgSlug, t.orgId, channel.channel_id, 'signing-secret'));
  }
  await storeChannel(ctx, t, channel, now);
  const view = channelView(channel);
  await auditAfter(ctx, { orgSlug, orgId: t.orgId, action: 'NOTIFICATION_CHANNEL_CREATE', resourceType: 'NOTIFICATION_CHANNEL', resourceId: channel.channel_id, details: { after: view } });
  return secret ? { ...view, webhook_signing_secret: secret } : view;
}
