import type { Ctx } from '../../context/index.js';
import { ConflictError } from '../../errors.js';
import { alertScope } from '../scope.js';
import { mustGetAnomaly } from './read.js';
import { transitionAnomaly, TRANSITIONS, type Transition } from './store.js';
import { anomalyView } from './view.js';

/**
 * One lifecycle step, decided by ONE conditional UPDATE (from the statuses the step may leave),
 * so two concurrent steps never both apply. A record already in the target status is answered
 * unchanged (a retried acknowledge is not an error); any other status is 409.
 */
export async function stepAnomaly(ctx: Ctx, input: { orgSlug: string; anomalyId: string }, step: Transition) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const before = await mustGetAnomaly(ctx.warehouse, tenant, input.anomalyId);
  if (before.status !== step.to) {
    const moved = TRANSITIONS[step.to].includes(before.status) && await transitionAnomaly(ctx.warehouse, tenant, input.anomalyId, step, ctx.clock());
    if (!moved) {
      const now = await mustGetAnomaly(ctx.warehouse, tenant, input.anomalyId);
      if (now.status !== step.to) throw new ConflictError(`Anomaly ${input.anomalyId} is ${now.status}: it cannot become ${step.to} (allowed from ${TRANSITIONS[step.to].join(', ')})`, { status: now.status });
    }
  }
  return anomalyView(await mustGetAnomaly(ctx.warehouse, tenant, input.anomalyId));
}
