import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import type { Tenant } from '../../orgs/identity.js';
import { utcInterval } from '../../costs/analytics/scope.js';
import { firingStats } from '../firings/store.js';
import { alertScope, type AlertScope } from '../scope.js';
import type { Rule } from './fields.js';
import { getRule, listRules } from './store.js';
import { ruleView } from './view.js';

export async function ruleOrThrow(ctx: Ctx, t: Tenant, ruleId: string): Promise<Rule> {
  const r = await getRule(ctx.warehouse, t, ruleId);
  if (!r) throw new NotFoundError(`No notification rule ${ruleId}`, { rule_id: ruleId });
  return r;
}

/** The org's local midnight today, as an instant (trigger_count_today counts from it). */
export const localMidnight = (scope: AlertScope): Date => utcInterval(scope.profile.default_timezone, scope.today, scope.today).fromUtc;

export async function listOrgRules(ctx: Ctx, input: { orgSlug: string; is_active?: boolean; rule_category?: string; priority?: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const [rules, stats] = await Promise.all([listRules(ctx.warehouse, scope.tenant), firingStats(ctx.warehouse, scope.tenant, localMidnight(scope))]);
  return rules
    .filter((r) => (input.is_active === undefined || r.is_active === input.is_active) && (input.rule_category === undefined || r.rule_category === input.rule_category) && (input.priority === undefined || r.priority === input.priority))
    .map((r) => ruleView(r, stats.get(r.rule_id)));
}

export async function getOrgRule(ctx: Ctx, input: { orgSlug: string; ruleId: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const [rule, stats] = await Promise.all([ruleOrThrow(ctx, scope.tenant, input.ruleId), firingStats(ctx.warehouse, scope.tenant, localMidnight(scope))]);
  return ruleView(rule, stats.get(rule.rule_id));
}
