import type { Channel, ChannelTarget } from '../channels/fields.js';
import type { OutboundPolicy } from '../outbound/address.js';
import { httpAttempt } from './http-attempt.js';
import type { AlertMessage, Attempt } from './message.js';

/** A Slack incoming-webhook payload in Block Kit, with a plain `text` for notifications. */
export function slackPayload(channel: Channel, msg: AlertMessage): Record<string, unknown> {
  const mentions = [...(channel.slack_mention_channel ? ['<!channel>'] : []), ...channel.slack_mention_users.map((u) => (u.startsWith('<') ? u : `<@${u}>`))].join(' ');
  return {
    text: `${msg.title}${mentions ? ` ${mentions}` : ''}`,
    ...(channel.slack_channel ? { channel: channel.slack_channel } : {}),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: msg.title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: `${msg.text}${mentions ? `\n${mentions}` : ''}`.slice(0, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `*${msg.priority}* · ${msg.org_slug} · event ${msg.event_id}` }] },
    ],
  };
}

export function sendSlack(policy: OutboundPolicy, channel: Channel, target: ChannelTarget, msg: AlertMessage): Promise<Attempt> {
  return httpAttempt(policy, target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(slackPayload(channel, msg)) });
}
