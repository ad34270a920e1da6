import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { checkRule } from './check.js';
import type { Rule, RuleInput } from './fields.js';
import { ruleOrThrow } from './read.js';
import { replaceRule, setRuleActive } from './store.js';
import { ruleView } from './view.js';

/** Changes a rule in place, checked again whole (a change that leaves it unable to evaluate is 422). */
export async function updateRule(ctx: Ctx, input: RuleInput & { orgSlug: string; ruleId: string }) {
  const { orgSlug, ruleId, ...f } = input;
  const now = ctx.clock();
  const scope = await alertScope(ctx, orgSlug);
  const before = await ruleOrThrow(ctx, scope.tenant, ruleId);
  const given = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Partial<Rule>;
  const rule = await checkRule(ctx, scope, { ...before, ...given, updated_at: now.toISOString(), updated_by: actorOf(ctx) });
  if (await replaceRule(ctx.warehouse, scope.tenant, rule) === 0) throw new NotFoundError(`No notification rule ${ruleId}`, { rule_id: ruleId });
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'NOTIFICATION_RULE_UPDATE', resourceType: 'NOTIFICATION_RULE', resourceId: ruleId, details: { before, after: rule } });
  return ruleView(rule);
}

/** Pause (false) or resume (true) a rule. */
export async function setRuleState(ctx: Ctx, input: { orgSlug: string; ruleId: string; active: boolean }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const n = await setRuleActive(ctx.warehouse, scope.tenant, input.ruleId, input.active, ctx.clock(), actorOf(ctx));
  if (n === 0) throw new NotFoundError(`No notification rule ${input.ruleId}`, { rule_id: input.ruleId });
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: scope.tenant.orgId, action: input.active ? 'NOTIFICATION_RULE_RESUME' : 'NOTIFICATION_RULE_PAUSE', resourceType: 'NOTIFICATION_RULE', resourceId: input.ruleId, details: {} });
  return ruleView(await ruleOrThrow(ctx, scope.tenant, input.ruleId));
}
