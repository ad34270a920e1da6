import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import { OutboundRefusedError } from '../outbound/errors.js';
import { checkTargetUrl } from '../outbound/http.js';
import { outboundPolicy } from '../scope.js';
import { channelAad, checkChannel, type Channel, type ChannelInput, type ChannelTarget } from './fields.js';
import { ensureChannelsLock, getChannel, writeChannel } from './store.js';
import { channelView } from './view.js';

/** A tenant-given URL checked now (scheme, literal addresses); names are checked again at every delivery. */
export function checkUrlField(ctx: Ctx, field: string, url: string): void {
  try {
    checkTargetUrl(url, outboundPolicy(ctx));
  } catch (err) {
    if (err instanceof OutboundRefusedError) throw new ValidationError(`${field}: ${err.message}`, { [field]: [err.message] });
    throw err;
  }
}

export async function decryptTarget(ctx: Ctx, t: Tenant, c: Channel): Promise<ChannelTarget | null> {
  if (!c.encrypted_target) return null;
  return JSON.parse((await ctx.encryptor.decrypt(c.encrypted_target, channelAad(t.orgSlug, t.orgId, c.channel_id, 'target'))).toString('utf8')) as ChannelTarget;
}

/**
 * The channel as it will be stored: `base` (an existing channel, or a blank one of the type)
 * with the input applied, its target re-encrypted when the URL or headers changed, checked
 * against its type's required fields.
 */
export async function applyChannelInput(ctx: Ctx, t: Tenant, base: Channel, input: ChannelInput): Promise<Channel> {
  const type = base.channel_type;
  const next: Channel = {
    ...base,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.is_default !== undefined ? { is_default: input.is_default } : {}),
    ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
    ...(input.email_recipients !== undefined ? { email_recipients: input.email_recipients } : {}),
    ...(input.email_cc_recipients !== undefined ? { email_cc_recipients: input.email_cc_recipients } : {}),
    ...(input.email_subject_prefix !== undefined ? { email_subject_prefix: input.email_subject_prefix } : {}),
    ...(input.slack_channel !== undefined ? { slack_channel: input.slack_channel } : {}),
    ...(input.slack_mention_users !== undefined ? { slack_mention_users: input.slack_mention_users } : {}),
    ...(input.slack_mention_channel !== undefined ? { slack_mention_channel: input.slack_mention_channel } : {}),
    ...(input.webhook_method !== undefined ? { webhook_method: input.webhook_method } : {}),
  };
  const url = type === 'slack' ? input.slack_webhook_url : type === 'webhook' ? input.webhook_url : undefined;
  if (url !== undefined) checkUrlField(ctx, type === 'slack' ? 'slack_webhook_url' : 'webhook_url', url);
  let headers = input.webhook_headers;
  if (url !== undefined || headers !== undefined) {
    const old = await decryptTarget(ctx, t, base);
    headers ??= old?.headers;
    const target: ChannelTarget = { url: url ?? old?.url ?? '', ...(type === 'webhook' ? { headers: headers ?? {} } : {}) };
    checkChannel(type, { email_recipients: next.email_recipients, hasTarget: target.url !== '', webhook_headers: headers }, input);
    next.encrypted_target = await ctx.encryptor.encrypt(JSON.stringify(target), channelAad(t.orgSlug, t.orgId, base.channel_id, 'target'));
  } else {
    checkChannel(type, { email_recipients: next.email_recipients, hasTarget: base.encrypted_target !== null }, input);
  }
  if (type === 'webhook') next.webhook_method ??= 'POST';
  return next;
}

/**
 * Stores the channel in the one MERGE (store.ts: writeChannel), making sure the tenant has its
 * lock row. A MERGE whose answer was lost is read back: the row as written (every answered field
 * and the ciphertext) means it committed.
 */
export async function storeChannel(ctx: Ctx, t: Tenant, c: Channel, now: Date): Promise<void> {
  const write = () => writeChannel(ctx.warehouse, t, c, now).catch(async (err: unknown) => {
    const stored = await getChannel(ctx.warehouse, t, c.channel_id).catch(() => null);
    const same = stored && JSON.stringify(channelView(stored)) === JSON.stringify(channelView(c)) && Buffer.compare(stored.encrypted_target ?? Buffer.alloc(0), c.encrypted_target ?? Buffer.alloc(0)) === 0;
    if (same) return 1;
    throw err;
  });
  let affected = await write();
  if (affected === 0) {
    await ensureChannelsLock(ctx.warehouse, t, now);
    affected = await write();
  }
  if (affected === 0) throw new Error('the channel write found no lock row after making sure of it');
}
