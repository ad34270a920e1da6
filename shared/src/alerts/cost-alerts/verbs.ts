import type { Ctx } from '../../context/index.js';
import { listChannels } from '../channels/store.js';
import { createRule } from '../rules/create.js';
import { deleteOrgRule } from '../rules/delete.js';
import { localMidnight } from '../rules/read.js';
import { listRules } from '../rules/store.js';
import { setRuleState, updateRule } from '../rules/update.js';
import { firingStats } from '../firings/store.js';
import { alertScope } from '../scope.js';
import { costAlertOrThrow, costAlertView, isCostAlert, ruleInputOf, type CostAlertInput } from './model.js';

export async function listCostAlerts(ctx: Ctx, input: { orgSlug: string; scope?: string; enabled_only?: boolean }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const [rules, channels, stats] = await Promise.all([listRules(ctx.warehouse, scope.tenant), listChannels(ctx.warehouse, scope.tenant), firingStats(ctx.warehouse, scope.tenant, localMidnight(scope))]);
  return rules.filter(isCostAlert)
    .map((r) => costAlertView({ ...r, last_triggered_at: stats.get(r.rule_id)?.last_triggered_at ?? null }, channels, scope.profile.default_currency))
    .filter((a) => (!input.enabled_only || a.is_enabled) && (input.scope === undefined || a.scope === input.scope));
}

export async function getCostAlert(ctx: Ctx, input: { orgSlug: string; alertId: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const [rule, channels, stats] = await Promise.all([costAlertOrThrow(ctx, scope.tenant, input.alertId), listChannels(ctx.warehouse, scope.tenant), firingStats(ctx.warehouse, scope.tenant, localMidnight(scope))]);
  return costAlertView({ ...rule, last_triggered_at: stats.get(rule.rule_id)?.last_triggered_at ?? null }, channels, scope.profile.default_currency);
}

/** A cost alert is a rule (rules/create.ts checks it whole); channels default to e-mail. */
export async function createCostAlert(ctx: Ctx, input: CostAlertInput & { orgSlug: string; name: string; threshold_value: number }) {
  const { orgSlug, ...f } = input;
  const scope = await alertScope(ctx, orgSlug);
  const channels = await listChannels(ctx.warehouse, scope.tenant);
  const rule = ruleInputOf({ ...f, channels: f.channels ?? ['email'], period: f.period ?? 'current_month', severity: f.severity ?? 'warning' }, scope.profile.default_currency, channels);
  const created = await createRule(ctx, { ...rule, orgSlug, name: f.name, rule_type: 'absolute_threshold', notify_channel_ids: rule.notify_channel_ids ?? [] });
  return costAlertView(created, channels, scope.profile.default_currency);
}

export async function updateCostAlert(ctx: Ctx, input: CostAlertInput & { orgSlug: string; alertId: string }) {
  const { orgSlug, alertId, ...f } = input;
  const scope = await alertScope(ctx, orgSlug);
  const [base, channels] = await Promise.all([costAlertOrThrow(ctx, scope.tenant, alertId), listChannels(ctx.warehouse, scope.tenant)]);
  const updated = await updateRule(ctx, { ...ruleInputOf(f, scope.profile.default_currency, channels, base), orgSlug, ruleId: alertId });
  return costAlertView(updated, channels, scope.profile.default_currency);
}

export async function deleteCostAlert(ctx: Ctx, input: { orgSlug: string; alertId: string }): Promise<void> {
  const scope = await alertScope(ctx, input.orgSlug);
  await costAlertOrThrow(ctx, scope.tenant, input.alertId);
  await deleteOrgRule(ctx, { orgSlug: input.orgSlug, ruleId: input.alertId });
}

export async function setCostAlertEnabled(ctx: Ctx, input: { orgSlug: string; alertId: string; enabled: boolean }) {
  const scope = await alertScope(ctx, input.orgSlug);
  await costAlertOrThrow(ctx, scope.tenant, input.alertId);
  await setRuleState(ctx, { orgSlug: input.orgSlug, ruleId: input.alertId, active: input.enabled });
  return getCostAlert(ctx, { orgSlug: input.orgSlug, alertId: input.alertId });
}

/** Each id on its own (the original's bulk shape): the ones that are not this org's cost alerts are listed as failed. */
export async function bulkSetCostAlertsEnabled(ctx: Ctx, input: { orgSlug: string; alertIds: string[]; enabled: boolean }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const rules = new Map((await listRules(ctx.warehouse, scope.tenant)).filter(isCostAlert).map((r) => [r.rule_id, r]));
  const done: string[] = [];
  const failed: { id: string; reason: string }[] = [];
  for (const id of [...new Set(input.alertIds)]) {
    if (!rules.has(id)) { failed.push({ id, reason: 'Not found' }); continue; }
    await setRuleState(ctx, { orgSlug: input.orgSlug, ruleId: id, active: input.enabled });
    done.push(id);
  }
  const key = input.enabled ? 'enabled' : 'disabled';
  return { success: failed.length === 0, [`${key}_count`]: done.length, failed_count: failed.length, results: { [key]: done, failed } };
}
