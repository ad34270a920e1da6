import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { CHANNEL_TYPES } from '@cloudact/shared/alerts/channels/fields';

/** Path parameters, queries, bodies and answers of the alerts routes (issue 20). */
const Id = (name: string) => z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, `${name}: letters, digits, _ and -`);
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const ChannelParams = z.strictObject({ org_slug: OrgSlug, channel_id: Id('channel_id') });
export const NoContent = z.undefined();
const Timestamp = z.string().describe('ISO 8601, UTC');

const Email = z.email().max(254);
const Url = z.string().max(2000).describe('https (http only in development); never answered');
const fields = {
  name: z.string().trim().min(1).max(200),
  is_default: z.boolean().optional().describe('The default channel of its type (one per type: making one the default clears the other)'),
  is_active: z.boolean().optional(),
  email_recipients: z.array(Email).max(50).optional().describe('Required for email channels (at least one)'),
  email_cc_recipients: z.array(Email).max(50).optional(),
  email_subject_prefix: z.string().max(100).nullable().optional().describe('Default [CloudAct]'),
  slack_webhook_url: Url.optional().describe('Required for slack channels: an incoming-webhook URL; encrypted, never answered'),
  slack_channel: z.string().max(100).nullable().optional(),
  slack_mention_users: z.array(z.string().max(100)).max(20).optional(),
  slack_mention_channel: z.boolean().optional(),
  webhook_url: Url.optional().describe('Required for webhook channels; encrypted, never answered'),
  webhook_headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,100}$/, 'header names: letters, digits and -'), z.string().max(2000)).optional().describe('Sent with every delivery; encrypted, never answered'),
  webhook_method: z.enum(['POST', 'PUT']).optional().describe('Default POST'),
};
export const CreateChannelBody = z.strictObject({ channel_type: z.enum(CHANNEL_TYPES), ...fields });
export const UpdateChannelBody = z.strictObject({ ...fields, name: fields.name.optional() });
export const ListChannelsQuery = z.strictObject({ channel_type: z.enum(CHANNEL_TYPES).optional(), is_active: z.stringbool().optional() });

export const Channel = z.object({
  channel_id: z.string(), org_slug: z.string(), channel_type: z.enum(CHANNEL_TYPES), name: z.string(), is_default: z.boolean(), is_active: z.boolean(),
  email_recipients: z.array(z.string()), email_cc_recipients: z.array(z.string()), email_subject_prefix: z.string().nullable(),
  slack_channel: z.string().nullable(), slack_mention_users: z.array(z.string()), slack_mention_channel: z.boolean(),
  slack_webhook_configured: z.boolean().describe('A Slack URL is stored (it is never answered)'),
  webhook_method: z.enum(['POST', 'PUT']).nullable(), webhook_configured: z.boolean().describe('A webhook URL is stored (it is never answered)'),
  created_at: Timestamp, created_by: z.string().nullable(), updated_at: Timestamp, updated_by: z.string().nullable(),
});
export const CreatedChannel = Channel.extend({
  webhook_signing_secret: z.string().optional().describe('Webhook channels: the Standard Webhooks secret (whsec_...), answered only here; verify webhook-signature with it'),
});
export const ChannelList = z.array(Channel);
export const ChannelTestResult = z.object({
  success: z.boolean(), message: z.string(), error: z.string().optional(), channel_id: z.string(), channel_name: z.string(),
  provider_status: z.number().nullable().describe('HTTP status or SMTP reply code of the receiver'), history_id: z.string().nullable(),
});
