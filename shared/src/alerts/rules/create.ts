import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { alertScope } from '../scope.js';
import { checkRule } from './check.js';
import { CONDITIONS, parseConditions, type Rule, type RuleInput } from './fields.js';
import { insertRule } from './store.js';
import { ruleView } from './view.js';

/**
 * Adds a rule, refused (422) unless it can evaluate and deliver (check.ts). Round-trips: scope |
 * channels and budget | the insert | audit.
 */
export async function createRule(ctx: Ctx, input: RuleInput & { orgSlug: string; name: string; rule_type: string; notify_channel_ids: string[] }) {
  const { orgSlug, ...f } = input;
  const now = ctx.clock();
  const scope = await alertScope(ctx, orgSlug);
  parseConditions(f.rule_type, f.conditions);
  const type = f.rule_type as Rule['rule_type'];
  const actor = actorOf(ctx);
  const draft: Rule = {
    rule_id: randomUUID(), org_slug: orgSlug, name: f.name, description: f.description ?? null, is_active: f.is_active ?? true, priority: f.priority ?? 'medium',
    rule_category: f.rule_category ?? CONDITIONS[type].category, rule_type: type, conditions: f.conditions ?? {},
    provider_filter: f.provider_filter ?? [], service_filter: f.service_filter ?? [], hierarchy_entity_id: f.hierarchy_entity_id ?? null,
    hierarchy_path: f.hierarchy_path ?? (f.hierarchy_entity_id ? `/${f.hierarchy_entity_id}` : null), notify_channel_ids: f.notify_channel_ids,
    escalate_after_mins: f.escalate_after_mins ?? null, escalate_to_channel_ids: f.escalate_to_channel_ids ?? [], cooldown_minutes: f.cooldown_minutes ?? 60,
    batch_window_minutes: f.batch_window_minutes ?? null, quiet_hours_start: f.quiet_hours_start ?? null, quiet_hours_end: f.quiet_hours_end ?? null,
    quiet_hours_timezone: f.quiet_hours_timezone ?? (f.quiet_hours_start ? scope.profile.default_timezone : null),
    acknowledged_at: null, acknowledged_by: null, created_at: now.toISOString(), created_by: actor, updated_at: now.toISOString(), updated_by: actor,
  };
  const rule = await checkRule(ctx, scope, draft);
  await insertRule(ctx.warehouse, scope.tenant, rule);
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'NOTIFICATION_RULE_CREATE', resourceType: 'NOTIFICATION_RULE', resourceId: rule.rule_id, details: { after: rule } });
  return ruleView(rule);
}
