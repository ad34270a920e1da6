import type { Ctx } from '../../context/index.js';
import type { PlanStatus } from '../status.js';
import { readWithScope } from '../tables.js';
import { listPlans } from './store.js';
import { planView, totals, type CurrencyTotals, type PlanView } from './view.js';
import { currentPlacement } from './hierarchy.js';

export interface PlanList {
  plans: PlanView[];
  total: number;
  total_monthly_cost: number | null;
  total_annual_cost: number | null;
  currency: string | null;
  totals_by_currency: CurrencyTotals;
}

/**
 * Every version row of a provider's plans (each with its own status, so a change that starts
 * later shows as pending beside the version running now). Totals cover the provider's enabled
 * plans paid for today, whatever the filters. One warehouse round-trip.
 */
export async function listProviderPlans(ctx: Ctx, input: { orgSlug: string; provider: string; include_disabled?: boolean; status?: PlanStatus }): Promise<PlanList> {
  const [{ scope, result: rows }, placed] = await Promise.all([readWithScope(ctx, input.orgSlug, (ds) => listPlans(ctx.warehouse, ds, { provider: input.provider })), currentPlacement(ctx, input.orgSlug)]);
  // Each plan shows its entity as the tree has it now (a rename or move is followed).
  const plans = rows.map((r) => planView(placed(r), scope.today))
    .filter((p) => (input.include_disabled ?? true) || p.is_enabled)
    .filter((p) => !input.status || p.status === input.status);
  return { plans, total: plans.length, ...totals(rows, scope.today, scope.profile.default_currency) };
}
