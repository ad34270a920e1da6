import type { Ctx } from '../../context/index.js';
import { activeByProvider } from '../../integrations/credentials/store.js';
import type { Tenant } from '../../orgs/identity.js';
import { listPlans } from '../../saas/plans/store.js';
import { listBudgets } from '../../budgets/budgets/store.js';

/** Something outside the hierarchy that points at an entity. */
export interface Reference { entity_id: string; entity_name: string; level_code: string; type: 'reference'; target: string }

/**
 * What points at these entities, read (never written) from the tables that own them, in
 * parallel: SaaS plans not ended (hierarchy_entity_id, the org dataset's plans), active
 * integrations (default_x_hierarchy_entity_id) and active budgets whose period has not ended
 * (org_budgets.hierarchy_entity_id): deleting their entity would leave them measuring nothing.
 */
export async function referencesTo(ctx: Ctx, t: Tenant, entityIds: readonly string[]): Promise<Reference[]> {
  const wanted = new Set(entityIds);
  if (!wanted.size) return [];
  const today = ctx.clock().toISOString().slice(0, 10);
  const [plans, credentials, budgets] = await Promise.all([
    ctx.profiles.get(t.orgSlug).then((p) => listPlans(ctx.warehouse, p.org_dataset_id)),
    activeByProvider(ctx.warehouse, t),
    listBudgets(ctx.warehouse, t),
  ]);
  const out: Reference[] = [];
  for (const p of plans) {
    const target = (p as unknown as { hierarchy_entity_id?: string | null }).hierarchy_entity_id;
    if (!target || !wanted.has(target.toUpperCase())) continue;
    if (p.end_date !== null && p.end_date < today) continue;
    out.push({ entity_id: p.subscription_id, entity_name: `${p.provider} ${p.plan_name}`, level_code: 'saas_plan', type: 'reference', target: target.toUpperCase() });
  }
  for (const c of credentials.values()) {
    const target = c.default_x_hierarchy_entity_id;
    if (!target || !wanted.has(target.toUpperCase())) continue;
    out.push({ entity_id: c.provider, entity_name: c.credential_name ?? c.provider, level_code: 'integration', type: 'reference', target: target.toUpperCase() });
  }
  for (const b of budgets) {
    const target = b.hierarchy_entity_id;
    if (!target || !wanted.has(target.toUpperCase()) || !b.is_active || b.period_end < today) continue;
    out.push({ entity_id: b.budget_id, entity_name: `${b.category} budget ${b.period_start}..${b.period_end}`, level_code: 'budget', type: 'reference', target: target.toUpperCase() });
  }
  return out;
}
