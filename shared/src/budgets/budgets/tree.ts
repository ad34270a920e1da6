import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { budgetSummary, type SummaryItem } from './summary.js';
import { budgetScope } from './scope.js';
import { listBudgets } from './store.js';
import type { Budget } from './fields.js';

export interface AllocationNode {
  budget_id: string;
  hierarchy_entity_id: string | null;
  hierarchy_entity_name: string | null;
  hierarchy_path: string | null;
  hierarchy_level_code: string | null;
  category: Budget['category'];
  budget_amount: number;
  allocated_to_children: number;
  unallocated: number;
  actual_amount: number;
  variance: number;
  currency: string;
  children: AllocationNode[];
}

/**
 * Active budgets as allocation trees (POST /allocate links children to parents); roots are the
 * budgets allocated from none, or the one `root_entity_id` names. Each node's actual is the
 * summary's (the same cost views), in the budget's currency.
 */
export async function allocationTree(ctx: Ctx, input: { orgSlug: string; root_entity_id?: string }): Promise<{ org_slug: string; roots: AllocationNode[]; total: number }> {
  const scope = await budgetScope(ctx, input.orgSlug);
  const [budgets, summary] = await Promise.all([listBudgets(ctx.warehouse, scope.tenant), budgetSummary(ctx, { orgSlug: input.orgSlug })]);
  const active = budgets.filter((b) => b.is_active);
  const items = new Map<string, SummaryItem>(summary.items.map((i) => [i.budget_id, i]));
  const childrenOf = new Map<string, Budget[]>();
  for (const b of active) if (b.allocation_parent_id) childrenOf.set(b.allocation_parent_id, [...(childrenOf.get(b.allocation_parent_id) ?? []), b]);
  const node = (b: Budget): AllocationNode => {
    const kids = (childrenOf.get(b.budget_id) ?? []).map(node);
    const d = b.budget_type === 'monetary' ? decimalsOf(b.currency) : 0;
    const amount = Number(b.budget_amount);
    const allocated = roundMoney(kids.reduce((s, k) => s + k.budget_amount, 0), d);
    const actual = items.get(b.budget_id)?.actual_amount ?? 0;
    return {
      budget_id: b.budget_id, hierarchy_entity_id: b.hierarchy_entity_id, hierarchy_entity_name: b.hierarchy_entity_name, hierarchy_path: b.hierarchy_path, hierarchy_level_code: b.hierarchy_level_code,
      category: b.category, budget_amount: amount, allocated_to_children: allocated, unallocated: roundMoney(amount - allocated, d),
      actual_amount: actual, variance: roundMoney(amount - actual, d), currency: items.get(b.budget_id)?.currency ?? b.currency, children: kids,
    };
  };
  const ids = new Set(active.map((b) => b.budget_id));
  const roots = input.root_entity_id
    ? active.filter((b) => b.hierarchy_entity_id === input.root_entity_id)
    : active.filter((b) => !b.allocation_parent_id || !ids.has(b.allocation_parent_id));
  if (input.root_entity_id && !roots.length) throw new NotFoundError(`No active budget of entity ${input.root_entity_id}`);
  return { org_slug: input.orgSlug, roots: roots.map(node), total: active.length };
}
