import type { Ctx } from '../../context/index.js';
import { actorOf } from '../../hierarchy/actor.js';
import { stepAnomaly } from './transition.js';

/** open | acknowledged → resolved: the cause was dealt with. */
export function resolveAnomaly(ctx: Ctx, input: { orgSlug: string; anomalyId: string }) {
  return stepAnomaly(ctx, input, { to: 'resolved', by: actorOf(ctx) });
}
