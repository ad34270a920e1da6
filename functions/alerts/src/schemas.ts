import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { CHANNEL_TYPES } from '@cloudact/shared/alerts/channels/fields';
import { EVALUATED_TYPES, PRIORITIES, RULE_CATEGORIES, RULE_TYPES } from '@cloudact/shared/alerts/rules/fields';
import { PERIODS, SEVERITIES } from '@cloudact/shared/alerts/cost-alerts/model';
import { DEFAULT_SECTIONS, SECTIONS, SUMMARY_TYPES } from '@cloudact/shared/alerts/summaries/fields';

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

// ---- rules ----
export const RuleParams = z.strictObject({ org_slug: OrgSlug, rule_id: Id('rule_id') });
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const ChannelIds = z.array(Id('channel id')).max(20);
const ruleFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  is_active: z.boolean().optional(),
  priority: z.enum(PRIORITIES).optional().describe('Default medium'),
  rule_category: z.enum(RULE_CATEGORIES).optional().describe('Default: the rule type\'s category'),
  rule_type: z.enum(RULE_TYPES).describe(`Evaluated now: ${EVALUATED_TYPES.join(', ')}; the others are refused (422) until they evaluate`),
  conditions: z.record(z.string(), z.unknown()).optional().describe('Per rule_type: absolute_threshold {threshold_amount, period daily|weekly|monthly}; budget_percent {threshold_percent, budget_id?}; budget_forecast {threshold_percent (100), budget_id?}; hierarchy_budget {threshold_percent} with hierarchy_entity_id; pipeline_failure {pipeline_id?, consecutive_failures, lookback_hours}; integration_health {provider?}; pipeline_success {pipeline_id?, lookback_hours (24)}; subscription_renewal {days_before_renewal[] ([30,7,1]), provider?}; data_freshness {max_hours_since_update (48), provider?, lookback_days (35)}; credential_expiry {expiry_warning_days[] ([30,7,1]), provider?}'),
  provider_filter: z.array(z.string().max(100)).max(50).optional(),
  service_filter: z.array(z.string().max(200)).max(50).optional(),
  hierarchy_entity_id: z.string().max(50).nullable().optional(),
  hierarchy_path: z.string().max(1000).nullable().optional(),
  notify_channel_ids: ChannelIds.min(1, 'at least one channel to notify'),
  escalate_after_mins: z.number().int().min(1).max(10_080).nullable().optional(),
  escalate_to_channel_ids: ChannelIds.optional(),
  cooldown_minutes: z.number().int().min(0).max(43_200).optional().describe('Default 60: a rule fires at most once per cooldown'),
  batch_window_minutes: z.number().int().min(0).max(1440).nullable().optional(),
  quiet_hours_start: HHMM.nullable().optional(),
  quiet_hours_end: HHMM.nullable().optional(),
  quiet_hours_timezone: z.string().max(64).nullable().optional(),
};
export const CreateRuleBody = z.strictObject(ruleFields);
export const UpdateRuleBody = z.strictObject({ ...ruleFields, name: ruleFields.name.optional(), rule_type: ruleFields.rule_type.optional(), notify_channel_ids: ruleFields.notify_channel_ids.optional() });
export const ListRulesQuery = z.strictObject({ is_active: z.stringbool().optional(), rule_category: z.enum(RULE_CATEGORIES).optional(), priority: z.enum(PRIORITIES).optional() });
export const Rule = z.object({
  rule_id: z.string(), org_slug: z.string(), name: z.string(), description: z.string().nullable(), is_active: z.boolean(), priority: z.enum(PRIORITIES),
  rule_category: z.enum(RULE_CATEGORIES), rule_type: z.string(), conditions: z.record(z.string(), z.unknown()),
  provider_filter: z.array(z.string()), service_filter: z.array(z.string()), hierarchy_entity_id: z.string().nullable(), hierarchy_path: z.string().nullable(),
  notify_channel_ids: z.array(z.string()), escalate_after_mins: z.number().nullable(), escalate_to_channel_ids: z.array(z.string()), cooldown_minutes: z.number(),
  batch_window_minutes: z.number().nullable(), quiet_hours_start: z.string().nullable(), quiet_hours_end: z.string().nullable(), quiet_hours_timezone: z.string().nullable(),
  last_triggered_at: Timestamp.nullable(), trigger_count_today: z.number().describe('Firings since the org\'s local midnight'),
  acknowledged_at: Timestamp.nullable(), acknowledged_by: z.string().nullable(),
  created_at: Timestamp, created_by: z.string().nullable(), updated_at: Timestamp, updated_by: z.string().nullable(),
});
export const RuleList = z.array(Rule);

// ---- history and stats ----
export const HistoryParams = z.strictObject({ org_slug: OrgSlug, history_id: Id('history_id') });
export const HistoryQuery = z.strictObject({
  notification_type: z.enum(['alert', 'test', 'summary']).optional(),
  channel_id: Id('channel_id').optional(),
  status: z.enum(['sent', 'failed']).optional(),
  days: z.coerce.number().int().min(1).max(90).optional().describe('Default 7'),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('Default 50'),
  offset: z.coerce.number().int().min(0).max(100_000).optional(),
});
export const HistoryEntry = z.object({
  history_id: z.string(), notification_id: z.string().describe('The same id, as the original named it'), org_slug: z.string(), notification_type: z.enum(['alert', 'test', 'summary']),
  firing_id: z.string().nullable().describe('The firing (the webhook-id of its deliveries)'), rule_id: z.string().nullable(), summary_id: z.string().nullable().describe('The digest a summary delivered'), channel_id: z.string().nullable(), channel_type: z.string().nullable(),
  priority: z.string().nullable(), status: z.enum(['sent', 'failed']), attempt: z.number().describe('1.. per delivery attempt of one firing to one channel'),
  subject: z.string().nullable(), message: z.string().nullable(), provider_status: z.number().nullable(), provider_response: z.string().nullable(), error: z.string().nullable(),
  created_at: Timestamp, acknowledged_at: Timestamp.nullable(), acknowledged_by: z.string().nullable(),
});
export const HistoryList = z.object({ items: z.array(HistoryEntry), total: z.number(), limit: z.number(), offset: z.number(), days: z.number() });
export const Stats = z.object({
  total_channels: z.number(), active_channels: z.number(), total_rules: z.number(), active_rules: z.number(), total_summaries: z.number(), active_summaries: z.number(),
  notifications_24h: z.number(), alerts_24h: z.number(), delivery_rate: z.number().describe('0-100: attempts delivered of the last 24 hours'), pending_acknowledgments: z.number(),
});

// ---- evaluation runs ----
export const ProcessAllBody = z.strictObject({
  org_slug: OrgSlug.optional().describe('One org; absent: every org in service'),
  alert_types: z.array(z.string().max(50)).max(20).optional().describe("Rule types or categories to evaluate, and 'summary' for the due digests; absent or empty: all"),
  send_notifications: z.boolean().optional().describe('Default true; false records firings without delivering'),
  dry_run: z.boolean().optional().describe('Default false; true evaluates and counts, recording and sending nothing'),
});
const OrgRun = z.object({
  org_slug: z.string(), rules_evaluated: z.number(), alerts_triggered: z.number(), notifications_sent: z.number(), notifications_failed: z.number(),
  held_quiet_hours: z.number(), held_duplicate: z.number().describe('Fired before (same rule, period and threshold) or within the rule\'s cooldown'),
  escalations: z.number().describe('Firings re-sent to escalation channels, unacknowledged after escalate_after_mins'),
  rule_errors: z.array(z.object({ rule_id: z.string(), error: z.string() })),
  summaries_due: z.number().describe('Digests whose next_scheduled_at had come'), summaries_sent: z.number().describe('Digests this run claimed and sent (each scheduled send once)'),
  summary_errors: z.array(z.object({ summary_id: z.string(), error: z.string() })),
  anomalies_detected: z.number().nullable().describe('An org with no anomaly rule: the anomalies its evening detection (the run in its local 23:00 hour) recorded; null when it did not run'),
});
export const ProcessAllResult = z.object({
  success: z.boolean(), orgs_processed: z.number(), alerts_triggered: z.number(), notifications_sent: z.number(), notifications_failed: z.number(),
  errors: z.number(), org_errors: z.array(z.object({ org_slug: z.string(), error: z.string() })),
  rule_errors: z.array(z.object({ org_slug: z.string(), rule_id: z.string(), error: z.string() })),
  summaries_sent: z.number(), summary_errors: z.array(z.object({ org_slug: z.string(), summary_id: z.string(), error: z.string() })),
  dry_run: z.boolean(), orgs: z.array(OrgRun), duration_ms: z.number(), message: z.string(),
});
export const TestRuleQuery = z.strictObject({ send_notification: z.stringbool().optional().describe('Default false: evaluate only') });
export const TestRuleResult = z.object({
  success: z.boolean(), rule_id: z.string(), rule_name: z.string(), would_trigger: z.boolean(), trigger_reason: z.string().nullable(),
  evaluation_data: z.record(z.string(), z.unknown()).describe('What the evaluation measured (spend, percents, runs, credentials)'),
  notification_sent: z.boolean(), deliveries: z.array(z.object({ channel_id: z.string(), success: z.boolean(), error: z.string().nullable() })),
});

// ---- cost alerts (a view over absolute_threshold rules) ----
export const CostAlertParams = z.strictObject({ org_slug: OrgSlug, alert_id: Id('alert_id') });
export const PresetParams = z.strictObject({ org_slug: OrgSlug, preset_id: Id('preset_id') });
const Scope = z.string().regex(/^[a-z0-9_]{2,40}$/, 'all, cloud, genai, subscription or a provider (openai, gcp ...)').describe('all | cloud | genai | subscription | a provider');
const costAlertFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).nullable().optional(),
  scope: Scope.optional().describe('Default all'),
  threshold_value: z.number().positive().max(1e13).describe('In the org\'s currency'),
  threshold_currency: z.string().length(3).optional().describe('Must be the org\'s currency when given (default)'),
  period: z.enum(PERIODS).optional().describe('Default current_month (the org\'s local days)'),
  severity: z.enum(SEVERITIES).optional().describe('Default warning'),
  channels: z.array(z.enum(CHANNEL_TYPES)).min(1).max(3).optional().describe('Channel types; each resolves to the org\'s default active channel of the type (default [email])'),
  cooldown_hours: z.number().min(0).max(720).optional().describe('Default 1'),
  hierarchy_path: z.string().max(1000).nullable().optional(),
};
export const CreateCostAlertBody = z.strictObject(costAlertFields);
export const UpdateCostAlertBody = z.strictObject({ ...costAlertFields, name: costAlertFields.name.optional(), threshold_value: costAlertFields.threshold_value.optional(), is_enabled: z.boolean().optional() });
export const ListCostAlertsQuery = z.strictObject({ scope: Scope.optional(), enabled_only: z.stringbool().optional() });
export const FromPresetQuery = z.strictObject({ name_override: z.string().trim().min(1).max(200).optional(), threshold_override: z.coerce.number().positive().max(1e13).optional() });
const AlertIds = z.array(Id('alert id')).min(1).max(100);
export const BulkBody = z.union([AlertIds, z.strictObject({ alert_ids: AlertIds })]).describe('The alert ids (a bare array, as the original took it, or {alert_ids})');
export const CostAlert = z.object({
  alert_id: z.string(), name: z.string(), description: z.string().nullable(), scope: z.string(), threshold_value: z.number(), threshold_currency: z.string(),
  period: z.enum(PERIODS), is_enabled: z.boolean(), last_triggered_at: Timestamp.nullable(), severity: z.enum(SEVERITIES),
  channels: z.array(z.enum(CHANNEL_TYPES)).describe('The types of the channels it notifies'), channel_ids: z.array(z.string()),
  cooldown_hours: z.number(), hierarchy_path: z.string().nullable(), schedule_cron: z.string().describe('When it is evaluated (the hourly job, UTC)'),
  created_at: Timestamp, updated_at: Timestamp,
});
export const CostAlertList = z.array(CostAlert);
export const BulkResult = z.object({
  success: z.boolean(), enabled_count: z.number().optional(), disabled_count: z.number().optional(), failed_count: z.number(),
  results: z.object({ enabled: z.array(z.string()).optional(), disabled: z.array(z.string()).optional(), failed: z.array(z.object({ id: z.string(), reason: z.string() })) }),
});
export const Presets = z.object({
  currency: z.string(),
  presets: z.array(z.object({
    id: z.string(), name: z.string(), scope: z.string(), threshold_value: z.number().describe('The original\'s US dollar amount in the org\'s currency, two significant figures'), threshold_currency: z.string(),
    period: z.enum(PERIODS), severity: z.enum(SEVERITIES), channels: z.array(z.enum(CHANNEL_TYPES)), cooldown_hours: z.number(), description: z.string(),
  })),
});
export const RotatedSecret = z.object({
  channel_id: z.string(), webhook_signing_secret: z.string().describe('The new whsec_ secret, answered only here'), rotated_at: Timestamp,
  previous_secret_valid_until: Timestamp.nullable().describe('Until then deliveries carry a signature by the old secret too (webhook-signature lists both), so receivers can switch without dropping any'),
});

// ---- digests (summaries) ----
export const SummaryParams = z.strictObject({ org_slug: OrgSlug, summary_id: Id('summary_id') });
const summaryFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).nullable().optional(),
  summary_type: z.enum(SUMMARY_TYPES).describe('daily: yesterday; weekly: the 7 local days to yesterday; monthly: last calendar month; each against the period before (week or month over week)'),
  is_active: z.boolean().optional(),
  schedule_cron: z.string().trim().min(9).max(100).optional().describe('Five fields (minute hour day-of-month month day-of-week), read in schedule_timezone; default 08:00 daily, Mondays, or the 1st'),
  schedule_timezone: z.string().max(64).optional().describe("IANA zone; default the org's timezone"),
  notify_channel_ids: ChannelIds.min(1, 'at least one channel to send the digest to'),
  include_sections: z.array(z.enum(SECTIONS)).min(1).max(SECTIONS.length).optional().describe(`Default ${DEFAULT_SECTIONS.join(', ')}`),
  top_n_items: z.number().int().min(1).max(20).optional().describe('Default 5'),
  currency_display: z.string().trim().length(3).nullable().optional().describe("Default (null): the org's currency"),
  provider_filter: z.array(z.string().max(100)).max(50).nullable().optional().transform((v) => v ?? undefined),
  service_filter: z.array(z.string().max(200)).max(50).nullable().optional().transform((v) => v ?? undefined),
  hierarchy_entity_id: z.string().max(50).nullable().optional().describe('Only this entity and its subtree'),
  hierarchy_filter: z.record(z.string(), z.string().max(100)).nullable().optional().describe("The original's spelling: {entity_id}"),
};
export const CreateSummaryBody = z.strictObject(summaryFields);
export const UpdateSummaryBody = z.strictObject({ ...summaryFields, name: summaryFields.name.optional(), summary_type: summaryFields.summary_type.optional(), notify_channel_ids: summaryFields.notify_channel_ids.optional() });
export const ListSummariesQuery = z.strictObject({ summary_type: z.enum(SUMMARY_TYPES).optional(), active_only: z.stringbool().optional() });
export const Summary = z.object({
  summary_id: z.string(), org_slug: z.string(), name: z.string(), description: z.string().nullable(), summary_type: z.enum(SUMMARY_TYPES), is_active: z.boolean(),
  schedule_cron: z.string(), schedule_timezone: z.string(), notify_channel_ids: z.array(z.string()), include_sections: z.array(z.enum(SECTIONS)), top_n_items: z.number(),
  currency_display: z.string().nullable(), provider_filter: z.array(z.string()), service_filter: z.array(z.string()), hierarchy_entity_id: z.string().nullable(),
  hierarchy_filter: z.object({ entity_id: z.string() }).nullable(),
  last_sent_at: Timestamp.nullable(), next_scheduled_at: Timestamp.nullable().describe('The next scheduled send (UTC), computed in schedule_timezone; null while paused'), last_send_id: z.string().nullable().describe('The event id (webhook-id) of the last scheduled send'),
  created_at: Timestamp, created_by: z.string().nullable(), updated_at: Timestamp, updated_by: z.string().nullable(),
});
export const SummaryList = z.array(Summary);
const DigestSection = z.object({ key: z.enum(SECTIONS), title: z.string(), content: z.string(), data: z.unknown() });
const Digest = z.object({
  subject: z.string(), period: z.string(), period_start: z.string(), period_end: z.string(), previous_period_start: z.string(), previous_period_end: z.string(),
  comparison: z.enum(['week over week', 'month over month']), currency: z.string(), timezone: z.string(),
  total_cost: z.number(), previous_total_cost: z.number(), change_percent: z.number().nullable(), sections: z.array(DigestSection), text: z.string(), generated_at: Timestamp,
});
export const SummaryPreview = z.object({ success: z.boolean(), summary_id: z.string(), summary_name: z.string(), next_scheduled_at: Timestamp.nullable(), preview: Digest });
export const SummarySendResult = z.object({
  success: z.boolean(), summary_id: z.string(), message: z.string(), sent_to_channels: z.number(), failed_channels: z.number(), event_id: z.string(),
  deliveries: z.array(z.object({ channel_id: z.string(), success: z.boolean(), error: z.string().nullable() })), error: z.string().optional(),
  content_preview: z.object({ period: z.string(), total_cost: z.string().describe('With the currency symbol') }),
});
