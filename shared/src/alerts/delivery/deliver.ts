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

/** One attempt at one channel (its target and secret decrypted just for it, never logged). */
export async function attemptOnce(ctx: Ctx, t: Tenant, channel: Channel, msg: AlertMessage): Promise<Attempt> {
  if (channel.channel_type === 'email') return sendEmail({ url: ctx.config.alerts.smtpUrl, from: ctx.config.alerts.smtpFrom }, channel, msg);
  if (!channel.encrypted_target) return { ok: false, status: null, response: null, error: 'the channel has no target', retryable: false };
  let target: ChannelTarget;
  try {
    target = JSON.parse((await ctx.encryptor.decrypt(channel.encrypted_target, channelAad(t.orgSlug, t.orgId, channel.channel_id, 'target'))).toString('utf8')) as ChannelTarget;
  } catch {
    return { ok: false, status: null, response: null, error: 'the channel target could not be decrypted', retryable: false };
  }
  const policy = outboundPolicy(ctx);
  if (channel.channel_type === 'slack') return sendSlack(policy, channel, target, msg);
  if (!channel.encrypted_signing_secret) return { ok: false, status: null, response: null, error: 'the webhook channel has no signing secret', retryable: false };
  const aad = channelAad(t.orgSlug, t.orgId, channel.channel_id, 'signing-secret');
  const now = ctx.clock();
  const inGrace = channel.encrypted_previous_signing_secret !== null && channel.previous_secret_expires_at !== null && Date.parse(channel.previous_secret_expires_at) > now.getTime();
  const [secret, previous] = await Promise.all([
    ctx.encryptor.decrypt(channel.encrypted_signing_secret, aad).then((b) => b.toString('utf8')),
    inGrace ? ctx.encryptor.decrypt(channel.encrypted_previous_signing_secret!, aad).then((b) => b.toString('utf8'), () => null) : Promise.resolve(null),
  ]);
  return sendWebhook(policy, channel, target, previous ? [secret, previous] : [secret], msg, now);
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
  for (let n = 1; n <= retry.attempts; n++) {
    const a = await attemptOnce(ctx, t, channel, msg);
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
