import { ValidationError } from '../../errors.js';

export const CHANNEL_TYPES = ['email', 'slack', 'webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export const LOCK = '-lock-';

/** A stored channel; the targets (URLs, headers) and the signing secret only as ciphertext. */
export interface Channel {
  channel_id: string;
  org_slug: string;
  channel_type: ChannelType;
  name: string;
  is_default: boolean;
  is_active: boolean;
  email_recipients: string[];
  email_cc_recipients: string[];
  email_subject_prefix: string | null;
  slack_channel: string | null;
  slack_mention_users: string[];
  slack_mention_channel: boolean;
  webhook_method: 'POST' | 'PUT' | null;
  encrypted_target: Buffer | null;
  encrypted_signing_secret: Buffer | null;
  /** The secret the last rotation replaced, still signing until previous_secret_expires_at. */
  encrypted_previous_signing_secret: Buffer | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** What a caller may send (create: all of a type's required fields; update: any of them). */
export interface ChannelInput {
  channel_type?: ChannelType;
  name?: string;
  is_default?: boolean;
  is_active?: boolean;
  email_recipients?: string[];
  email_cc_recipients?: string[];
  email_subject_prefix?: string | null;
  slack_webhook_url?: string;
  slack_channel?: string | null;
  slack_mention_users?: string[];
  slack_mention_channel?: boolean;
  webhook_url?: string;
  webhook_headers?: Record<string, string>;
  webhook_method?: 'POST' | 'PUT';
}

/** The decrypted target of a Slack or webhook channel. */
export interface ChannelTarget { url: string; headers?: Record<string, string> }

/** Bound to org, tenant and channel: a ciphertext copied to another channel's or org's row does not open. */
export const channelAad = (orgSlug: string, orgId: string, channelId: string, what: 'target' | 'signing-secret') => `org:${orgSlug}:${orgId}:notification-channel:${channelId}:${what}`;

/** Headers a channel may not set: the transport's and the signature's own. */
const RESERVED_HEADERS = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'webhook-id', 'webhook-timestamp', 'webhook-signature']);

/**
 * Each type's required fields, on the channel as it will be stored (the original stored an
 * e-mail channel without recipients). `hasTarget`: a Slack/webhook URL is stored or given.
 */
export function checkChannel(type: ChannelType, c: { email_recipients: string[]; hasTarget: boolean; webhook_headers?: Record<string, string> }, given: ChannelInput): void {
  const fail = (field: string, message: string) => { throw new ValidationError(message, { [field]: [message] }); };
  if (type === 'email' && c.email_recipients.length === 0) fail('email_recipients', 'an email channel needs at least one address in email_recipients');
  if (type === 'slack' && !c.hasTarget) fail('slack_webhook_url', 'a slack channel needs slack_webhook_url (an incoming-webhook URL)');
  if (type === 'webhook' && !c.hasTarget) fail('webhook_url', 'a webhook channel needs webhook_url');
  const foreign: [keyof ChannelInput, ChannelType][] = [['email_recipients', 'email'], ['email_cc_recipients', 'email'], ['email_subject_prefix', 'email'], ['slack_webhook_url', 'slack'], ['slack_channel', 'slack'], ['slack_mention_users', 'slack'], ['slack_mention_channel', 'slack'], ['webhook_url', 'webhook'], ['webhook_headers', 'webhook'], ['webhook_method', 'webhook']];
  for (const [field, owner] of foreign) if (given[field] !== undefined && owner !== type) fail(field, `${field} belongs to ${owner} channels, not ${type}`);
  for (const h of Object.keys(c.webhook_headers ?? {})) if (RESERVED_HEADERS.has(h.toLowerCase())) fail('webhook_headers', `webhook_headers may not set ${h}`);
}
