import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { loadReduced } from '../../costs/analytics/load.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { resolveScope } from '../../costs/analytics/scope.js';
import { readCurrent } from '../entities/store.js';
import { checkRuleSet, rulesInForce, type RuleSetInput } from './rules.js';
import { readRuleVersions, type RuleVersion } from './store.js';

export interface DryRunInput { orgSlug: string; start_date?: string; end_date?: string; rules?: RuleSetInput['rules']; label_keys?: string[] }

interface RuleCost { label_key: string; label_value: string; entity_id: string; cost: number; record_count: number }
interface VersionCost { version: number | null; effective_from: string; allocated_cost: number; rules: RuleCost[] }

/**
 * How much of local days start_date..end_date each rule version (and each of its rules)
 * allocates, beside what the pipelines tagged and what stays unallocated, in the org's currency:
 * the same reduction the cost routes run, grouped by the rule that allocated each row. With
 * `rules` in the body, those rules (one draft version from start_date) instead of the stored ones.
 */
export async function dryRunAllocation(ctx: Ctx, input: DryRunInput) {
  for (const f of ['start_date', 'end_date'] as const) {
    if (input[f] === undefined) throw new ValidationError(`${f} is required`, { [f]: [`${f} is required`] });
  }
  const t = await tenantOf(ctx, input.orgSlug);
  const [{ versions: stored }, { entities }] = await Promise.all([readRuleVersions(ctx.warehouse, t), readCurrent(ctx.warehouse, t)]);
  const base = await resolveScope({ profiles: ctx.profiles, clock: ctx.clock, actor: ctx.actor }, { orgSlug: input.orgSlug, start_date: input.start_date, end_date: input.end_date });
  const versions: (Pick<RuleVersion, 'effective_from' | 'label_keys' | 'rules'> & { version: number | null })[] = input.rules
    ? [{ version: null, effective_from: base.start, ...checkRuleSet({ rules: input.rules, ...(input.label_keys ? { label_keys: input.label_keys } : {}) }, entities, input.orgSlug) }]
    : stored;
  // Rules in force, and for each the version it came from (rulesInForce keeps the versions' order).
  const rules = rulesInForce(versions, entities);
  const dims = rules.length ? (['x_HierarchyEntityId', 'ar_rule'] as const) : (['x_HierarchyEntityId'] as const);
  const { df } = await loadReduced(ctx, { ...base, ...(rules.length ? { allocation: rules } : {}) }, base.start, base.end, [...dims]);
  const dec = decimalsOf(base.currency);
  const rows = df.height
    ? (df.groupBy([...dims]).agg(pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('records').sum().cast(pl.Float64).alias('records')).toRecords() as unknown as { x_HierarchyEntityId: string | null; ar_rule?: number | null; cost: number; records: number }[])
    : [];
  let tagged = 0;
  let unallocated = 0;
  let total = 0;
  const perRule = new Map<number, { cost: number; records: number }>();
  for (const r of rows) {
    total += r.cost;
    if (r.ar_rule !== null && r.ar_rule !== undefined) perRule.set(Number(r.ar_rule), { cost: r.cost, records: r.records });
    else if (r.x_HierarchyEntityId !== null) tagged += r.cost;
    else unallocated += r.cost;
  }
  const out: VersionCost[] = versions.map((v) => ({ version: v.version, effective_from: v.effective_from, allocated_cost: 0, rules: [] }));
  rules.forEach((r, i) => {
    const vc = out[r.source ?? -1];
    if (!vc) return;
    const c = perRule.get(i) ?? { cost: 0, records: 0 };
    vc.allocated_cost += c.cost;
    vc.rules.push({ label_key: r.key, label_value: r.value, entity_id: r.entityId, cost: roundMoney(c.cost, dec), record_count: c.records });
  });
  for (const v of out) v.allocated_cost = roundMoney(v.allocated_cost, dec);
  return {
    org_slug: input.orgSlug, currency: base.currency, start_date: base.start, end_date: base.end,
    total_cost: roundMoney(total, dec), tagged_cost: roundMoney(tagged, dec), allocated_cost: roundMoney(total - tagged - unallocated, dec), unallocated_cost: roundMoney(unallocated, dec),
    versions: out,
  };
}

