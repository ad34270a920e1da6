import type { Ctx } from '../../context/index.js';
import { actorOf } from '../../hierarchy/actor.js';
import { stepAnomaly } from './transition.js';
import type { Feedback } from './store.js';

/** open | acknowledged → ignored, with why and the feedback (expected spend, or not an anomaly at all); rules stop alerting on it. */
export function ignoreAnomaly(ctx: Ctx, input: { orgSlug: string; anomalyId: string; reason: string; feedback: Feedback }) {
  return stepAnomaly(ctx, input, { to: 'ignored', by: actorOf(ctx), reason: input.reason, feedback: input.feedback });
}
