import type { Ctx } from '../../context/index.js';
import { actorOf } from '../../hierarchy/actor.js';
import { stepAnomaly } from './transition.js';

/** open → acknowledged: someone is looking at it. */
export function acknowledgeAnomaly(ctx: Ctx, input: { orgSlug: string; anomalyId: string }) {
  return stepAnomaly(ctx, input, { to: 'acknowledged', by: actorOf(ctx) });
}
