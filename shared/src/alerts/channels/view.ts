import type { Channel } from './fields.js';

/** A channel as answered: targets and secrets never, only whether they are configured. */
export function channelView(c: Channel) {
  return {
    channel_id: c.channel_id, org_slug: c.org_slug, channel_type: c.channel_type, name: c.name, is_default: c.is_default, is_active: c.is_active,
    email_recipients: c.email_recipients, email_cc_recipients: c.email_cc_recipients, email_subject_prefix: c.email_subject_prefix,
    slack_channel: c.slack_channel, slack_mention_users: c.slack_mention_users, slack_mention_channel: c.slack_mention_channel,
    slack_webhook_configured: c.channel_type === 'slack' && c.encrypted_target !== null,
    webhook_method: c.webhook_method, webhook_configured: c.channel_type === 'webhook' && c.encrypted_target !== null,
    created_at: c.created_at, created_by: c.created_by, updated_at: c.updated_at, updated_by: c.updated_by,
  };
}
export type ChannelView = ReturnType<typeof channelView>;
