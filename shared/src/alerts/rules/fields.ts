import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { MISSING_DATA, MORE_CONDITIONS } from './more-conditions.js';
import { ANOMALY_CONDITIONS } from './anomaly-conditions.js';

export const PRIORITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const RULE_CATEGORIES = ['cost', 'pipeline', 'integration', 'subscription', 'system'] as const;
/** Every rule type the original named. */
export const RULE_TYPES = ['budget_percent', 'hierarchy_budget', 'budget_forecast', 'absolute_threshold', 'anomaly_percent_change', 'anomaly_std_deviation', 'pipeline_failure', 'pipeline_success', 'data_freshness', 'integration_health', 'credential_expiry', 'subscription_renewal', 'license_utilization'] as const;
export type RuleType = (typeof RULE_TYPES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/**
 * The conditions of each rule type this build evaluates (evaluate/*.ts), and the category it
 * belongs to. A type not listed here cannot evaluate yet and is refused at creation (422), never
 * stored to stay silent.
 */
export const CONDITIONS = {
  absolute_threshold: {
    category: 'cost',
    schema: z.strictObject({
      threshold_amount: z.number().positive().describe('Spend in the org\'s currency'),
      period: z.enum(['daily', 'weekly', 'monthly']).default('monthly').describe('Today, this ISO week (Monday on) or this month, in the org\'s local days'),
      currency: z.string().length(3).optional().describe('Must be the org\'s currency when given'),
      cost_category: z.enum(['cloud', 'genai', 'subscription']).optional().describe('Only this category of cost; absent: all'),
    }),
  },
  budget_percent: {
    category: 'cost',
    schema: z.strictObject({
      threshold_percent: z.number().positive().max(1000).describe('Fires when a budget\'s actual reaches this percent of its amount in its current period'),
      budget_id: z.string().min(1).max(64).optional().describe('One budget; absent: every active budget (of hierarchy_entity_id when the rule names one)'),
    }),
  },
  budget_forecast: {
    category: 'cost',
    schema: z.strictObject({
      threshold_percent: z.number().positive().max(1000).default(100).describe('Fires when a budget\'s forecast for its current period (the budgets summary\'s run-rate forecast) reaches this percent of its amount'),
      budget_id: z.string().min(1).max(64).optional().describe('One budget; absent: every active budget (of hierarchy_entity_id when the rule names one)'),
    }),
  },
  hierarchy_budget: {
    category: 'cost',
    schema: z.strictObject({
      threshold_percent: z.number().positive().max(1000).describe('Fires when a budget of the rule\'s hierarchy entity reaches this percent of its amount'),
    }),
  },
  pipeline_failure: {
    category: 'pipeline',
    schema: z.strictObject({
      pipeline_id: z.string().min(1).max(100).optional().describe('One pipeline; absent: any'),
      consecutive_failures: z.number().int().min(1).max(50).default(1).describe('Fires when the latest runs of a pipeline all failed, this many of them'),
      lookback_hours: z.number().int().min(1).max(24 * 30).default(24),
    }),
  },
  integration_health: {
    category: 'integration',
    schema: z.strictObject({
      provider: z.string().min(1).max(50).optional().describe('One provider; absent: any active credential'),
    }),
  },
  ...MORE_CONDITIONS,
  ...ANOMALY_CONDITIONS,
} as const;
export type EvaluatedType = keyof typeof CONDITIONS;
export const EVALUATED_TYPES = Object.keys(CONDITIONS) as EvaluatedType[];
export type Conditions<T extends EvaluatedType = EvaluatedType> = z.output<(typeof CONDITIONS)[T]['schema']>;

/** The conditions of `type` parsed (defaults filled), or 422 naming `conditions.<field>` (or rule_type when it cannot evaluate). */
export function parseConditions(type: string, raw: unknown): Conditions {
  const def = (CONDITIONS as Record<string, (typeof CONDITIONS)[EvaluatedType] | undefined>)[type];
  if (!def) {
    const missing = MISSING_DATA[type];
    if (missing) throw new ValidationError(`rule_type ${type} is refused: ${missing}`, { rule_type: [missing] });
    const message = `rule_type ${type} cannot be evaluated by this service yet (it evaluates ${EVALUATED_TYPES.join(', ')}); it is refused rather than stored silent`;
    throw new ValidationError(message, { rule_type: [message] });
  }
  const parsed = def.schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const i of parsed.error.issues) {
      const key = ['conditions', ...i.path.map(String)].join('.');
      (fields[key] ??= []).push(i.message);
    }
    throw new ValidationError(`conditions of a ${type} rule: ${Object.entries(fields).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ')}`, fields);
  }
  return parsed.data as Conditions;
}

export interface Rule {
  rule_id: string;
  org_slug: string;
  name: string;
  description: string | null;
  is_active: boolean;
  priority: Priority;
  rule_category: RuleCategory;
  rule_type: EvaluatedType;
  conditions: Record<string, unknown>;
  provider_filter: string[];
  service_filter: string[];
  hierarchy_entity_id: string | null;
  hierarchy_path: string | null;
  notify_channel_ids: string[];
  escalate_after_mins: number | null;
  escalate_to_channel_ids: string[];
  cooldown_minutes: number;
  batch_window_minutes: number | null;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  quiet_hours_timezone: string | null;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

/** What a caller may send (create: name, rule_type, conditions and notify_channel_ids at least). */
export interface RuleInput {
  name?: string;
  description?: string | null;
  is_active?: boolean;
  priority?: Priority;
  rule_category?: RuleCategory;
  rule_type?: string;
  conditions?: Record<string, unknown>;
  provider_filter?: string[];
  service_filter?: string[];
  hierarchy_entity_id?: string | null;
  hierarchy_path?: string | null;
  notify_channel_ids?: string[];
  escalate_after_mins?: number | null;
  escalate_to_channel_ids?: string[];
  cooldown_minutes?: number;
  batch_window_minutes?: number | null;
  quiet_hours_start?: string | null;
  quiet_hours_end?: string | null;
  quiet_hours_timezone?: string | null;
}
