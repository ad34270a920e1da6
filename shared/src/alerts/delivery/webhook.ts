import { lazy } from '../../lazy.js';
import type { Channel, ChannelTarget } from '../channels/fields.js';
import type { OutboundPolicy } from '../outbound/address.js';
import { httpAttempt } from './http-attempt.js';
import type { AlertMessage, Attempt } from './message.js';

/** standardwebhooks (with fast-sha256 and @stablelib/base64, ~27 KB) loads with the first webhook delivery, not at every cold start. */
const webhooks = lazy(async () => (await import('standardwebhooks')).Webhook);

/** The JSON a webhook receives (Standard Webhooks shape: type, timestamp, data). */
export function webhookPayload(msg: AlertMessage): string {
  return JSON.stringify({
    type: msg.event_type, timestamp: msg.occurred_at,
    data: { event_id: msg.event_id, org_slug: msg.org_slug, title: msg.title, text: msg.text, priority: msg.priority, rule_id: msg.rule_id ?? null, ...msg.data },
  });
}

/**
 * Signed by the Standard Webhooks scheme: webhook-id is the firing's event id (the same on every
 * retry, so a receiver de-duplicates), webhook-timestamp the attempt's second, webhook-signature
 * the HMAC over both and the body with the channel's own secret (and, for a day after a rotation,
 * with the secret it replaced).
 */
export async function sendWebhook(policy: OutboundPolicy, channel: Channel, target: ChannelTarget, secrets: readonly string[], msg: AlertMessage, now: Date): Promise<Attempt> {
  const body = webhookPayload(msg);
  const Webhook = await webhooks();
  // One signature per secret, space-separated (the scheme's way through a rotation): the current one first.
  const signature = secrets.map((s) => new Webhook(s).sign(msg.event_id, now, body)).join(' ');
  return httpAttempt(policy, target.url, {
    method: channel.webhook_method ?? 'POST',
    headers: {
      ...(target.headers ?? {}), 'content-type': 'application/json', 'user-agent': 'CloudAct-Alerts/1',
      'webhook-id': msg.event_id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature,
    },
    body,
  });
}
