import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { channelAad } from './fields.js';
import { channelOrThrow } from './read.js';
import { storeChannel } from './write.js';

/** A new Standard Webhooks secret for a webhook channel, answered this once; the old one stops signing now. */
export async function rotateSigningSecret(ctx: Ctx, input: { orgSlug: string; channelId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const channel = await channelOrThrow(ctx, tenant, input.channelId);
  if (channel.channel_type !== 'webhook') {
    const message = `only webhook channels sign their deliveries; this one is ${channel.channel_type}`;
    throw new ValidationError(`channel_type: ${message}`, { channel_type: [message] });
  }
  const now = ctx.clock();
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const next = {
    ...channel, updated_at: now.toISOString(), updated_by: actorOf(ctx),
    encrypted_signing_secret: await ctx.encryptor.encrypt(secret, channelAad(tenant.orgSlug, tenant.orgId, channel.channel_id, 'signing-secret')),
  };
  await storeChannel(ctx, tenant, next, now);
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_CHANNEL_ROTATE_SECRET', resourceType: 'NOTIFICATION_CHANNEL', resourceId: channel.channel_id, details: {} });
  return { channel_id: channel.channel_id, webhook_signing_secret: secret, rotated_at: now.toISOString() };
}
