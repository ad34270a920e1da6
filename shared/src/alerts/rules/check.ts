import type { Ctx } from '../../context/index.js';
import { refuseField } from '../../errors.js';
import { isIanaZone } from '../../i18n/dates.js';
import { getBudget } from '../../budgets/budgets/store.js';
import { listChannels } from '../channels/store.js';
import type { AlertScope } from '../scope.js';
import { CONDITIONS, parseConditions, type Rule } from './fields.js';

const fail = refuseField;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;


/**
 * A rule as it will be stored is one that can evaluate and deliver: conditions of its type
 * (defaults filled in), its category the type's, at least one notify channel and every channel
 * named existing, a named budget existing, amounts in the org's currency, quiet hours readable.
 * Returns the rule with its parsed conditions. Round-trips: channels | the budget (in parallel).
 */
export async function checkRule(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Rule> {
  const conditions = parseConditions(rule.rule_type, rule.conditions) as Record<string, unknown>;
  const category = CONDITIONS[rule.rule_type].category;
  if (rule.rule_category !== category) fail('rule_category', `a ${rule.rule_type} rule is in category ${category}, not ${rule.rule_category}`);
  if (rule.notify_channel_ids.length === 0) fail('notify_channel_ids', 'at least one channel to notify');
  if (rule.rule_type === 'absolute_threshold' && conditions.currency !== undefined && String(conditions.currency).toUpperCase() !== scope.profile.default_currency) {
    fail('conditions.currency', `thresholds are in the org's currency ${scope.profile.default_currency}, not ${String(conditions.currency)}`);
  }
  if ((rule.quiet_hours_start === null) !== (rule.quiet_hours_end === null)) fail('quiet_hours_start', 'quiet hours need both quiet_hours_start and quiet_hours_end');
  for (const f of ['quiet_hours_start', 'quiet_hours_end'] as const) if (rule[f] !== null && !HHMM.test(rule[f]!)) fail(f, 'HH:MM, 24-hour');
  if (rule.quiet_hours_timezone !== null && !isIanaZone(rule.quiet_hours_timezone)) fail('quiet_hours_timezone', `not an IANA time zone: ${rule.quiet_hours_timezone}`);
  if (rule.rule_type === 'hierarchy_budget' && !rule.hierarchy_entity_id) fail('hierarchy_entity_id', 'a hierarchy_budget rule names the hierarchy entity whose budgets it watches');
  const budgetId = rule.rule_type === 'budget_percent' || rule.rule_type === 'budget_forecast' ? (conditions.budget_id as string | undefined) : undefined;
  const [channels, budget] = await Promise.all([
    listChannels(ctx.warehouse, scope.tenant),
    budgetId ? getBudget(ctx.warehouse, scope.tenant, budgetId) : Promise.resolve(undefined),
  ]);
  const known = new Set(channels.map((c) => c.channel_id));
  const unknown = rule.notify_channel_ids.filter((id) => !known.has(id));
  if (unknown.length) fail('notify_channel_ids', `no channel ${unknown.join(', ')} in this org`);
  const unknownEsc = rule.escalate_to_channel_ids.filter((id) => !known.has(id));
  if (unknownEsc.length) fail('escalate_to_channel_ids', `no channel ${unknownEsc.join(', ')} in this org`);
  if (budgetId && budget === null) fail('conditions.budget_id', `no budget ${budgetId} in this org`);
  return { ...rule, rule_category: category, conditions };
}
