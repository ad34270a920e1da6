import type { Ctx } from '../../context/index.js';
import { findVersion } from '../common.js';
import { readWithScope } from '../tables.js';
import { listPlans } from './store.js';
import { planView, type PlanView } from './view.js';

/** Every version of the plan that a version id belongs to, oldest first. One round-trip. */
export async function planHistory(ctx: Ctx, input: { orgSlug: string; provider: string; subscriptionId: string }): Promise<{ success: boolean; plan_id: string; provider: string; plan_name: string; history: PlanView[]; total: number }> {
  const { scope, result: rows } = await readWithScope(ctx, input.orgSlug, (ds) => listPlans(ctx.warehouse, ds, { provider: input.provider }));
  const row = findVersion(rows, input.subscriptionId, input.provider);
  const history = rows.filter((r) => r.plan_id === row.plan_id).sort((a, b) => a.version - b.version).map((r) => planView(r, scope.today));
  return { success: true, plan_id: row.plan_id, provider: row.provider, plan_name: row.plan_name, history, total: history.length };
}
