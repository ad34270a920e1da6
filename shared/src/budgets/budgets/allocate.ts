import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { decimalsOf } from '../../costs/analytics/money.js';
import { Money } from '../../saas/money.js';
import { budgetsRef } from '../tables.js';
import type { Budget } from './fields.js';
import { budgetScope } from './scope.js';
import { budgetMerge, budgetWriteLanded, ensureBudgetsLock, getBudget, listBudgets } from './store.js';
import { budgetView, type BudgetView } from './view.js';

export interface AllocationInput {
  hierarchy_entity_id: string;
  hierarchy_entity_name?: string | null;
  hierarchy_path?: string | null;
  hierarchy_level_code?: string | null;
  /** Decimal percent of the parent's amount. */
  percentage: string;
}

const refuse = (field: string, message: string) => new ValidationError(message, { [`body.${field}`]: [message] });

/**
 * Allocates a parent budget to children by percentage (Σ with the parent's existing active
 * children ≤ 100): one child budget each, of the parent's category, type, currency, period and
 * provider, amount = parent × percent / 100 rounded to the currency's decimals. All or nothing:
 * every child goes in with ONE MERGE (store.ts: budgetMerge) whose guard re-checks, on the
 * serialised snapshot, that the parent is unchanged (its revision), the sum still fits, and no
 * child duplicates an active budget (409; the original left the parent and half its children).
 *
 * Round-trips: scope, reads | lock row, the MERGE, audit.
 */
export async function allocateBudget(ctx: Ctx, input: { orgSlug: string; parent_budget_id: string; allocations: AllocationInput[] }): Promise<{ success: true; parent: BudgetView; children: BudgetView[]; allocated_percent: number }> {
  const now = ctx.clock();
  const scope = await budgetScope(ctx, input.orgSlug);
  const [parent, all] = await Promise.all([getBudget(ctx.warehouse, scope.tenant, input.parent_budget_id), listBudgets(ctx.warehouse, scope.tenant), ensureBudgetsLock(ctx.warehouse, scope.tenant, now)]);
  if (!parent) throw new NotFoundError(`No budget ${input.parent_budget_id}`);
  if (!parent.is_active) throw new ConflictError(`Budget ${parent.budget_id} is inactive`, { reason: 'parent_inactive' });
  if (!input.allocations.length) throw refuse('allocations', 'allocations: at least one child');
  const ids = input.allocations.map((a) => a.hierarchy_entity_id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw refuse('allocations', `allocations: ${dup} is named twice`);
  if (parent.hierarchy_entity_id && ids.includes(parent.hierarchy_entity_id)) throw refuse('allocations', 'allocations: a child cannot be the parent\'s own entity');
  const existing = all.filter((b) => b.is_active && b.allocation_parent_id === parent.budget_id).reduce((s, b) => s.add(Money.of(b.allocation_percent ?? '0')), Money.ZERO);
  const asked = input.allocations.reduce((s, a) => s.add(Money.of(a.percentage)), Money.ZERO);
  if (existing.add(asked).cmp(Money.of('100')) > 0) {
    throw refuse('allocations', `allocations: the percentages add up to ${existing.add(asked).toFixed(4)} with the ${existing.toFixed(4)} % already allocated; at most 100`);
  }
  const actor = actorOf(ctx);
  const d = decimalsOf(parent.currency);
  const children: Budget[] = input.allocations.map((a) => ({
    ...parent,
    budget_id: randomUUID(),
    hierarchy_entity_id: a.hierarchy_entity_id, hierarchy_entity_name: a.hierarchy_entity_name ?? null,
    hierarchy_path: a.hierarchy_path ?? `${parent.hierarchy_path ?? ''}/${a.hierarchy_entity_id}`, hierarchy_level_code: a.hierarchy_level_code ?? null,
    budget_amount: Money.of(parent.budget_amount).mul(Money.of(a.percentage)).div(100).toFixed(parent.budget_type === 'monetary' ? d : 0),
    notes: `Allocated ${a.percentage} % of ${parent.budget_id}`,
    revision: 0, allocation_parent_id: parent.budget_id, allocation_percent: a.percentage,
    created_at: now.toISOString(), created_by: actor, updated_at: now.toISOString(), updated_by: actor,
  }));
  const T = budgetsRef(ctx.warehouse);
  const writeToken = randomUUID();
  const guard = {
    sql: `EXISTS (SELECT 1 FROM ${T} AS p WHERE p.org_id = @org_id AND p.budget_id = @parent_id AND p.is_active AND p.revision = @parent_revision)
      AND (SELECT COALESCE(SUM(c.allocation_percent), 0) FROM ${T} AS c WHERE c.org_id = @org_id AND c.allocation_parent_id = @parent_id AND c.is_active
           AND COALESCE(c.write_token, '') != @write_token) + @asked_percent <= 100`,
    params: { parent_id: parent.budget_id, parent_revision: parent.revision, asked_percent: asked.toFixed(9) },
    types: { asked_percent: 'NUMERIC' as const },
  };
  const affected = await budgetMerge(ctx.warehouse, { tenant: scope.tenant, now, writeToken, insert: children, guard }).catch(async (err: unknown) => {
    if (await budgetWriteLanded(ctx.warehouse, scope.tenant, writeToken).catch(() => false)) return children.length + 1;
    throw err;
  });
  if (affected === 0) {
    throw new ConflictError(`Allocation of ${parent.budget_id} refused, nothing written: a child duplicates an active budget of its entity, category, provider and period, or the parent or its allocations changed meanwhile`, { reason: 'allocation_conflict' });
  }
  await auditAfter(ctx, { orgSlug: input.orgSlug, orgId: scope.tenant.orgId, action: 'BUDGET_ALLOCATE', resourceType: 'BUDGET', resourceId: parent.budget_id, details: { after: children } });
  return { success: true, parent: budgetView(parent), children: children.map(budgetView), allocated_percent: Number(existing.add(asked).toFixed(4)) };
}
