import type { Ctx } from '../../context/index.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Channel, ChannelType } from '../channels/fields.js';
import type { Priority, Rule, RuleInput } from '../rules/fields.js';
import { ruleOrThrow } from '../rules/read.js';

/**
 * Cost alerts (the original's /cost-alerts router) are a view over rules: an absolute_threshold
 * rule is a cost alert. Its `scope` is a cost category (cloud, genai, subscription), a provider
 * (openai, gcp ...) or all; `channels` are channel TYPES, resolved at write to the org's default
 * active channel of each type; thresholds are in the org's currency.
 */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const PERIODS = ['today', 'current_week', 'current_month'] as const;
export type CostAlertPeriod = (typeof PERIODS)[number];
const CATEGORY_SCOPES = new Set(['cloud', 'genai', 'subscription']);
/** The schedule the hourly evaluation job runs on (deploy.sh's Cloud Scheduler job). */
export const EVALUATION_CRON = '0 * * * *';

const PERIOD_OF: Record<CostAlertPeriod, 'daily' | 'weekly' | 'monthly'> = { today: 'daily', current_week: 'weekly', current_month: 'monthly' };
const PERIOD_BACK: Record<string, CostAlertPeriod> = { daily: 'today', weekly: 'current_week', monthly: 'current_month' };
export const priorityOf = (s: Severity): Priority => (s === 'warning' ? 'medium' : s);
const severityOf = (p: Priority): Severity => (p === 'critical' || p === 'high' ? 'critical' : p === 'info' ? 'info' : 'warning');

export interface CostAlertInput {
  name?: string;
  description?: string | null;
  scope?: string;
  threshold_value?: number;
  threshold_currency?: string;
  period?: CostAlertPeriod;
  severity?: Severity;
  channels?: ChannelType[];
  cooldown_hours?: number;
  hierarchy_path?: string | null;
  is_enabled?: boolean;
}

export function isCostAlert(r: Rule): boolean {
  return r.rule_type === 'absolute_threshold';
}

export async function costAlertOrThrow(ctx: Ctx, t: Tenant, alertId: string): Promise<Rule> {
  const r = await ruleOrThrow(ctx, t, alertId).catch(() => null);
  if (!r || !isCostAlert(r)) throw new NotFoundError(`No cost alert ${alertId}`, { alert_id: alertId });
  return r;
}

/** Channel types → the org's channel ids: the active default of each type, else its oldest active one; 422 when the org has none of a type. */
export function channelIdsFor(types: readonly ChannelType[], channels: readonly Channel[]): string[] {
  return [...new Set(types)].map((type) => {
    const active = channels.filter((c) => c.channel_type === type && c.is_active);
    const pick = active.find((c) => c.is_default) ?? active[0];
    if (!pick) {
      const message = `the org has no active ${type} channel: add one under /api/v1/notifications/{org}/channels first`;
      throw new ValidationError(`channels: ${message}`, { channels: [message] });
    }
    return pick.channel_id;
  });
}

/** The rule fields a cost alert's input sets (conditions merged over `base`'s). */
export function ruleInputOf(input: CostAlertInput, orgCurrency: string, channels: readonly Channel[], base?: Rule): RuleInput {
  if (input.threshold_currency !== undefined && input.threshold_currency.toUpperCase() !== orgCurrency) {
    const message = `thresholds are in the org's currency ${orgCurrency}, not ${input.threshold_currency}`;
    throw new ValidationError(`threshold_currency: ${message}`, { threshold_currency: [message] });
  }
  const conditions: Record<string, unknown> = { ...(base?.conditions ?? { period: 'monthly' }) };
  let providerFilter = base?.provider_filter;
  if (input.threshold_value !== undefined) conditions.threshold_amount = input.threshold_value;
  if (input.period !== undefined) conditions.period = PERIOD_OF[input.period];
  if (input.scope !== undefined) {
    delete conditions.cost_category;
    providerFilter = [];
    if (CATEGORY_SCOPES.has(input.scope)) conditions.cost_category = input.scope;
    else if (input.scope !== 'all') providerFilter = [input.scope.toLowerCase()];
  }
  delete conditions.currency;
  return {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.severity !== undefined ? { priority: priorityOf(input.severity) } : {}),
    ...(input.channels !== undefined ? { notify_channel_ids: channelIdsFor(input.channels, channels) } : {}),
    ...(input.cooldown_hours !== undefined ? { cooldown_minutes: Math.round(input.cooldown_hours * 60) } : {}),
    ...(input.hierarchy_path !== undefined ? { hierarchy_path: input.hierarchy_path, hierarchy_entity_id: input.hierarchy_path ? input.hierarchy_path.split('/').filter(Boolean).at(-1) ?? null : null } : {}),
    ...(input.is_enabled !== undefined ? { is_active: input.is_enabled } : {}),
    ...(providerFilter !== undefined ? { provider_filter: providerFilter } : {}),
    rule_type: 'absolute_threshold', rule_category: 'cost', conditions,
  };
}

/** A rule as the cost-alerts routes answer it. */
export function costAlertView(r: Rule & { last_triggered_at?: string | null }, channels: readonly Channel[], orgCurrency: string) {
  const c = r.conditions as { threshold_amount?: number; period?: string; cost_category?: string };
  const byId = new Map(channels.map((ch) => [ch.channel_id, ch]));
  return {
    alert_id: r.rule_id, name: r.name, description: r.description,
    scope: c.cost_category ?? r.provider_filter[0] ?? 'all',
    threshold_value: Number(c.threshold_amount ?? 0), threshold_currency: orgCurrency,
    period: PERIOD_BACK[c.period ?? 'monthly'] ?? 'current_month',
    is_enabled: r.is_active, last_triggered_at: r.last_triggered_at ?? null, severity: severityOf(r.priority),
    channels: [...new Set(r.notify_channel_ids.map((id) => byId.get(id)?.channel_type).filter((x): x is ChannelType => x !== undefined))],
    channel_ids: r.notify_channel_ids, cooldown_hours: r.cooldown_minutes / 60, hierarchy_path: r.hierarchy_path,
    schedule_cron: EVALUATION_CRON, created_at: r.created_at, updated_at: r.updated_at,
  };
}
export type CostAlertView = ReturnType<typeof costAlertView>;
