import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { auditAfter } from '../../orgs/audit/store.js';
import { actorOf } from '../../hierarchy/actor.js';
import { invalid, type Budget } from './fields.js';
import type { BudgetFieldsInput } from './create.js';
import { budgetScope } from './scope.js';
import { budgetMerge, budgetWriteLanded, ensureBudgetsLock, getBudget } from './store.js';
import { budgetView, type BudgetView } from './view.js';

export type UpdateBudgetInput = Partial<BudgetFieldsInput> & { orgSlug: string; budgetId: string; revision?: number };

/**
 * Changes a budget in place. The write applies only while the row still has the revision this
 * call read (or the one the caller sent, from its GET): one MERGE (store.ts), 409 when another
 * write got there first, or when the change would make it a second active budget of its entity,
 * category, provider and period.
 */
export async function updateOrgBudget(ctx: Ctx, input: UpdateBudgetInput): Promise<BudgetView> {
  const now = ctx.clock();
  const { orgSlug, budgetId, revision, ...f } = input;
  const scope = await budgetScope(ctx, orgSlug);
  const [before] = await Promise.all([getBudget(ctx.warehouse, scope.tenant, budgetId), ensureBudgetsLock(ctx.warehouse, scope.tenant, now)]);
  if (!before) throw new NotFoundError(`No budget ${budgetId}`);
  if (revision !== undefined && revision !== before.revision) {
    throw new ConflictError(`Budget ${budgetId} changed since revision ${revision} (now ${before.revision}): read it again`, { reason: 'revision_changed', revision: before.revision });
  }
  const defined = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as Partial<Budget>;
  const after: Budget = { ...before, ...defined, currency: (defined.currency ?? before.currency).toUpperCase(), revision: before.revision + 1, updated_at: now.toISOString(), updated_by: actorOf(ctx) };
  if (after.period_end < after.period_start) throw invalid('period_end', `period_end ${after.period_end} is before period_start ${after.period_start}`);
  const writeToken = randomUUID();
  const affected = await budgetMerge(ctx.warehouse, { tenant: scope.tenant, now, writeToken, replace: [{ budget: after, expected: before.revision }] }).catch(async (err: unknown) => {
    if (await budgetWriteLanded(ctx.warehouse, scope.tenant, writeToken).catch(() => false)) return 2;
    throw err;
  });
  if (affected === 0) {
    const current = await getBudget(ctx.warehouse, scope.tenant, budgetId);
    if (!current) throw new NotFoundError(`No budget ${budgetId}`);
    if (current.revision !== before.revision) throw new ConflictError(`Budget ${budgetId} was changed by another write while this one ran: read it again`, { reason: 'revision_changed', revision: current.revision });
    throw new ConflictError(`Another active ${after.category} budget covers ${after.hierarchy_entity_id ?? 'the whole org'} over ${after.period_start}..${after.period_end}`, { reason: 'budget_exists' });
  }
  await auditAfter(ctx, { orgSlug, orgId: scope.tenant.orgId, action: 'BUDGET_UPDATE', resourceType: 'BUDGET', resourceId: budgetId, details: { before, after } });
  return budgetView(after);
}
