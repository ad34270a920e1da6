import type { InsertRow } from '../../warehouse/dml.js';
import { insertRows } from '../../warehouse/dml.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { alertColumns, alertRef, alertSpec, CENTRAL, fromJson, replaceInPlace, strOrNull, tsOf, tsOrNull } from '../tables.js';
import type { Rule } from './fields.js';

/**
 * The one owner of `organizations.org_notification_rules` SQL: one row per rule, changed in
 * place by DML. Rules have no uniqueness to decide (names may repeat, as in the original), so a
 * write is one plain statement; firings, which must be decided once, live in org_alert_firings.
 */
const TABLE = 'org_notification_rules' as const;
const cols = () => alertColumns(TABLE);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRule(r: Row): Rule {
  return {
    rule_id: String(r.rule_id), org_slug: String(r.org_slug), name: String(r.name), description: strOrNull(r.description), is_active: Boolean(r.is_active),
    priority: String(r.priority) as Rule['priority'], rule_category: String(r.rule_category) as Rule['rule_category'], rule_type: String(r.rule_type) as Rule['rule_type'],
    conditions: fromJson<Record<string, unknown>>(r.conditions, {}), provider_filter: fromJson<string[]>(r.provider_filter, []), service_filter: fromJson<string[]>(r.service_filter, []),
    hierarchy_entity_id: strOrNull(r.hierarchy_entity_id), hierarchy_path: strOrNull(r.hierarchy_path), notify_channel_ids: fromJson<string[]>(r.notify_channel_ids, []),
    escalate_after_mins: num(r.escalate_after_mins), escalate_to_channel_ids: fromJson<string[]>(r.escalate_to_channel_ids, []), cooldown_minutes: Number(r.cooldown_minutes),
    batch_window_minutes: num(r.batch_window_minutes), quiet_hours_start: strOrNull(r.quiet_hours_start), quiet_hours_end: strOrNull(r.quiet_hours_end), quiet_hours_timezone: strOrNull(r.quiet_hours_timezone),
    acknowledged_at: tsOrNull(r.acknowledged_at), acknowledged_by: strOrNull(r.acknowledged_by),
    created_at: tsOf(r.created_at), created_by: strOrNull(r.created_by), updated_at: tsOf(r.updated_at), updated_by: strOrNull(r.updated_by),
  };
}

function ruleRow(t: Tenant, r: Rule): InsertRow {
  return {
    ...r, org_slug: t.orgSlug, org_id: t.orgId,
    conditions: JSON.stringify(r.conditions), provider_filter: JSON.stringify(r.provider_filter), service_filter: JSON.stringify(r.service_filter),
    notify_channel_ids: JSON.stringify(r.notify_channel_ids), escalate_to_channel_ids: JSON.stringify(r.escalate_to_channel_ids),
    acknowledged_at: r.acknowledged_at ? new Date(r.acknowledged_at) : null, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at),
  };
}

export async function listRules(wh: Warehouse, t: Tenant): Promise<Rule[]> {
  const rows = await wh.query({ sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id ORDER BY created_at, rule_id`, params: { org: t.orgSlug, org_id: t.orgId } });
  return rows.map(toRule);
}

export async function getRule(wh: Warehouse, t: Tenant, ruleId: string): Promise<Rule | null> {
  const rows = await wh.query({ sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND rule_id = @id`, params: { org: t.orgSlug, org_id: t.orgId, id: ruleId } });
  return rows.length ? toRule(rows[0]!) : null;
}

export async function insertRule(wh: Warehouse, t: Tenant, r: Rule): Promise<void> {
  await insertRows(wh, CENTRAL, alertSpec(TABLE), [ruleRow(t, r)]);
}

/** Replaces the stored rule's fields (never its id, tenant or creation). Returns the rows changed. */
export function replaceRule(wh: Warehouse, t: Tenant, r: Rule): Promise<number> {
  return replaceInPlace(wh, TABLE, t, { column: 'rule_id', value: r.rule_id }, ruleRow(t, r), ['created_at', 'created_by']);
}

export async function setRuleActive(wh: Warehouse, t: Tenant, ruleId: string, active: boolean, now: Date, by: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET is_active = @active, updated_at = @now, updated_by = @by WHERE org_slug = @org AND org_id = @org_id AND rule_id = @id`,
    params: { org: t.orgSlug, org_id: t.orgId, id: ruleId, active, now, by },
  });
  return affectedRows;
}

export async function acknowledgeRule(wh: Warehouse, t: Tenant, ruleId: string, now: Date, by: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET acknowledged_at = @now, acknowledged_by = @by WHERE org_slug = @org AND org_id = @org_id AND rule_id = @id`,
    params: { org: t.orgSlug, org_id: t.orgId, id: ruleId, now, by },
  });
  return affectedRows;
}

export async function deleteRule(wh: Warehouse, t: Tenant, ruleId: string): Promise<number> {
  const { affectedRows } = await wh.execute({ sql: `DELETE FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND rule_id = @id`, params: { org: t.orgSlug, org_id: t.orgId, id: ruleId } });
  return affectedRows;
}
