import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { DEFAULT_THRESHOLDS, resolvePeriod, type Budget, type BudgetType, type Category, type PeriodType, type Threshold } from './fields.js';
import { budgetScope } from './scope.js';
import { budgetMerge, budgetWriteLanded, ensureBudgetsLock } from './store.js';
import { budgetView, type BudgetView } from './view.js';

export interface BudgetFieldsInput {
  hierarchy_entity_id?: string | null;
  hierarchy_entity_name?: string | null;
  hierarchy_path?: string | null;
  hierarchy_level_code?: string | null;
  category: Category;
  budget_type?: BudgetType;
  budget_amount: string;
  currency?: string;
  period_type: PeriodType;
  period_start?: string;
  period_end?: string;
  recurring?: boolean;
  fiscal_year_start_month?: number;
  provider?: string | null;
  thresholds?: Threshold[];
  notes?: string | null;
  is_active?: boolean;
}

/**
 * Adds a budget. The currency defaults to the org's; the period to the one of its type
 * containing period_start (or today), quarters and years from fiscal_year_start_month (default
 * January); thresholds to 50/80/100 % of actual and 100 % of forecast. One active budget per
 * entity, category, provider and period: 409, decided by the one MERGE (store.ts: budgetMerge),
 * so of concurrent identical creates exactly one wins.
 *
 * Round-trips: scope | lock row made sure of, the MERGE, audit.
 */
export async function createBudget(ctx: Ctx, input: BudgetFieldsInput & { orgSlug: string }): Promise<BudgetView> {
  const now = ctx.clock();
  const { orgSlug, ...f } = input;
  const scope = await budgetScope(ctx, orgSlug);
  await ensureBudgetsLock(ctx.warehouse, scope.tenant, now);
  const fiscal = f.fiscal_year_start_month ?? 1;
  const period = resolvePeriod({ period_type: f.period_type, period_start: f.period_start, period_end: f.period_end, today: scope.today, fiscalStart: fiscal });
  const actor = actorOf(ctx);
  const budget: Budget = {
    budget_id: randomUUID(), org_slug: orgSlug,
    hierarchy_entity_id: f.hierarchy_entity_id ?? null, hierarchy_entity_name: f.hierarchy_entity_name ?? null,
    hierarchy_path: f.hierarchy_path ?? (f.hierarchy_entity_id ? `/${f.hierarchy_entity_id}` : null), hierarchy_level_code: f.hierarchy_level_code ?? null,
    category: f.category, budget_type: f.budget_type ?? 'monetary', budget_amount: f.budget_amount,
    currency: (f.currency ?? scope.profile.default_currency).toUpperCase(),
    period_type: f.period_type, period_start: period.start, period_end: period.end, recurring: f.recurring ?? false, fiscal_year_start_month: fiscal,
    provider: f.provider ?? null, thresholds: f.thresholds ?? [...DEFAULT_THRESHOLDS], notes: f.notes ?? null, is_active: f.is_active ?? true,
    revision: 0, allocation_parent_id: null, allocation_percent: null,
    created_at: now.toISOString(), created_by: actor, updated_at: now.toISOString(), updated_by: actor,
  };
  const writeToken = randomUUID();
  const affected = await budgetMerge(ctx.warehouse, { tenant: scope.tenant, now, writeToken, insert: [budget] }).catch(async (err: unknown) => {
    if (await budgetWriteLanded(ctx.warehouse, scope.tenant, writeToken).catch(() => false)) return 2;
    throw err;
  });
  if (affected === 0) {
    throw new ConflictError(`An active ${budget.category} budget for ${budget.hierarchy_entity_id ?? 'the whole org'}${budget.provider ? ` and ${budget.provider}` : ''} over ${budget.period_start}..${budget.period_end} exists: change that one`, { reason: 'budget_exists' });
  }
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'BUDGET_CREATE', resourceType: 'BUDGET', resourceId: budget.budget_id, details: { after: budget } });
  return budgetView(budget);
}
