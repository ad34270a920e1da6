import type { Ctx } from '../../context/index.js';
import { readWithScope } from '../tables.js';
import { listPlans } from './store.js';
import { planView, totals, type CurrencyTotals, type PlanView } from './view.js';
import { currentPlacement } from './hierarchy.js';

export interface AllPlans {
  success: boolean;
  plans: PlanView[];
  summary: {
    total_monthly_cost: number | null;
    total_annual_cost: number | null;
    currency: string | null;
    totals_by_currency: CurrencyTotals;
    count_by_category: Record<string, number>;
    enabled_count: number;
    total_count: number;
  };
}

/** Every plan version of every provider, with the org-wide run-rate totals. One round-trip. */
export async function listAllPlans(ctx: Ctx, input: { orgSlug: string; enabled_only?: boolean }): Promise<AllPlans> {
  const [{ scope, result: rows }, placed] = await Promise.all([readWithScope(ctx, input.orgSlug, (ds) => listPlans(ctx.warehouse, ds)), currentPlacement(ctx, input.orgSlug)]);
  // Each plan shows its entity as the tree has it now (a rename or move is followed).
  const plans = rows.map((r) => planView(placed(r), scope.today)).filter((p) => !input.enabled_only || p.is_enabled);
  const count_by_category: Record<string, number> = {};
  for (const p of plans) count_by_category[p.category] = (count_by_category[p.category] ?? 0) + 1;
  return {
    success: true,
    plans,
    summary: {
      ...totals(rows, scope.today, scope.profile.default_currency),
      count_by_category,
      enabled_count: plans.filter((p) => p.is_enabled).length,
      total_count: plans.length,
    },
  };
}
