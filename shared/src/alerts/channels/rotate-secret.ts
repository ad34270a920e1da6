import { randomBytes } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { channelAad } from './fields.js';
import { channelOrThrow } from './read.js';
import { storeChannel } from './write.js';

/** How long a rotated-out secret still signs deliveries (beside the new one), so receivers can switch without dropping any. */
export const SECRET_GRACE_MS = 24 * 3_600_000;

/**
 * A new Standard Webhooks secret for a webhook channel, answered this once. The old one keeps
 * signing beside it for SECRET_GRACE_MS (webhook-signature carries both), then stops.
 */
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
    // The old ciphertext as it is (bound to this channel's signing secret): no decryption needed to keep it.
    encrypted_previous_signing_secret: channel.encrypted_signing_secret,
    previous_secret_expires_at: new Date(now.getTime() + SECRET_GRACE_MS).toISOString(),
  };
  await storeChannel(ctx, tenant, next, now);
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: tenant.orgId, action: 'NOTIFICATION_CHANNEL_ROTATE_SECRET', resourceType: 'NOTIFICATION_CHANNEL', resourceId: channel.channel_id, details: {} });
  return { channel_id: channel.channel_id, webhook_signing_secret: secret, rotated_at: now.toISOString(), previous_secret_valid_until: next.previous_secret_expires_at };
}
