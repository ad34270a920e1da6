import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import type { Tenant } from '../../orgs/identity.js';
import { channelAad, type Channel, type ChannelTarget } from '../channels/fields.js';
import { appendHistory, type HistoryEntry } from '../history/store.js';
import { outboundPolicy } from '../scope.js';
import { sendEmail } from './email.js';
import type { AlertMessage, Attempt } from './message.js';
import { sendSlack } from './slack.js';
import { sendWebhook } from './webhook.js';

/** Attempts per channel and the waits between them: bounded, so one bad receiver cannot hold an evaluation run. */
export const RETRY = { attempts: 3, backoffMs: [200, 800] };

type Send = (msg: AlertMessage) => Promise<Attempt>;
const refused = (error: string): Attempt => ({ ok: false, status: null, response: null, error, retryable: false });

/**
 * A channel ready to send: its target and signing secrets decrypted once, in parallel, for all
 * of a delivery's attempts (each a KMS call on Cloud KMS), never logged; or the attempt that says
 * why it cannot send.
 */
async function openChannel(ctx: Ctx, t: Tenant, channel: Channel): Promise<Send | Attempt> {
  if (channel.channel_type === 'email') return (msg) => sendEmail({ url: ctx.config.alerts.smtpUrl, from: ctx.config.alerts.smtpFrom }, channel, msg);
  if (!channel.encrypted_target) return refused('the channel has no target');
  const aad = channelAad(t.orgSlug, t.orgId, channel.channel_id, 'signing-secret');
  const inGrace = channel.encrypted_previous_signing_secret !== null && channel.previous_secret_expires_at !== null && Date.parse(channel.previous_secret_expires_at) > ctx.clock().getTime();
  const signs = channel.channel_type === 'webhook' && channel.encrypted_signing_secret !== null;
  // The secrets are decrypted beside the target; a failure to decrypt the current one surfaces after the target's checks, as before.
  const [target, secret, previous] = await Promise.all([
    ctx.encryptor.decrypt(channel.encrypted_target, channelAad(t.orgSlug, t.orgId, channel.channel_id, 'target')).then((b) => JSON.parse(b.toString('utf8')) as ChannelTarget, () => null),
    signs ? ctx.encryptor.decrypt(channel.encrypted_signing_secret!, aad).then((b) => ({ value: b.toString('utf8') }), (err: unknown) => ({ err })) : Promise.resolve(null),
    signs && inGrace ? ctx.encryptor.decrypt(channel.encrypted_previous_signing_secret!, aad).then((b) => b.toString('utf8'), () => null) : Promise.resolve(null),
  ]);
  if (!target) return refused('the channel target could not be decrypted');
  const policy = outboundPolicy(ctx);
  if (channel.channel_type === 'slack') return (msg) => sendSlack(policy, channel, target, msg);
  if (!secret) return refused('the webhook channel has no signing secret');
  if ('err' in secret) throw secret.err;
  const secrets = previous ? [secret.value, previous] : [secret.value];
  return (msg) => sendWebhook(policy, channel, target, secrets, msg, ctx.clock());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Delivers to one channel with bounded retries (retryable failures only) and records every
 * attempt in the history. A history row that cannot be written is logged, never thrown: the
 * delivery happened (or not) either way, and other channels and orgs go on.
 */
export async function deliver(ctx: Ctx, t: Tenant, channel: Channel, msg: AlertMessage, retry = RETRY): Promise<{ ok: boolean; attempts: Attempt[]; history_ids: string[] }> {
  const attempts: Attempt[] = [];
  const ids: string[] = [];
  const send = await openChannel(ctx, t, channel);
  for (let n = 1; n <= retry.attempts; n++) {
    const a = typeof send === 'function' ? await send(msg) : send;
    attempts.push(a);
    const entry: HistoryEntry = {
      history_id: randomUUID(), org_slug: t.orgSlug, notification_type: msg.notification_type, firing_id: msg.firing_id ?? null, rule_id: msg.rule_id ?? null, summary_id: msg.summary_id ?? null,
      channel_id: channel.channel_id, channel_type: channel.channel_type, priority: msg.priority, status: a.ok ? 'sent' : 'failed', attempt: n,
      subject: msg.title.slice(0, 500), message: msg.text.slice(0, 4000), provider_status: a.status, provider_response: a.response, error: a.error, created_at: ctx.clock().toISOString(),
      acknowledged_at: null, acknowledged_by: null,
    };
    ids.push(entry.history_id);
    await appendHistory(ctx.warehouse, t, [entry]).catch((err: unknown) => ctx.logger.log('ERROR', 'notification history row not written', { request_id: ctx.requestId, org_slug: t.orgSlug, channel_id: channel.channel_id, error: err }));
    if (a.ok || !a.retryable) break;
    if (n < retry.attempts) await sleep(retry.backoffMs[n - 1] ?? 1000);
  }
  return { ok: attempts.at(-1)!.ok, attempts, history_ids: ids };
}
