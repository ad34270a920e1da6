import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { orgDays } from './admit.js';
import { completeRun, findReservation } from './store.js';

export interface CompletionResult {
  success: boolean;
  org_slug: string;
  pipeline_status: 'SUCCESS' | 'FAILED';
  message: string;
  reservation_id: string | null;
  released: boolean;
}

/**
 * The pipeline service's report that a run ended (POST /api/v1/validator/complete/{org}): one
 * conditional statement releases the reservation's slot and counts the outcome on the day it
 * was reserved on. Idempotent: a reservation already completed changes nothing. Without a
 * reservation id (the original pipeline service sends none) the org's oldest open reservation
 * of today or yesterday is completed.
 */
export async function completePipelineRun(ctx: Ctx, input: { orgSlug: string; status: 'SUCCESS' | 'FAILED'; reservationId?: string; pipelineLoggingId?: string }): Promise<CompletionResult> {
  const now = ctx.clock();
  const [profile, tenant] = await Promise.all([ctx.profiles.get(input.orgSlug), tenantOf(ctx, input.orgSlug)]);
  const days = orgDays(now, profile.default_timezone);
  const affected = await completeRun(ctx.warehouse, tenant, {
    ...(input.reservationId ? { reservationId: input.reservationId } : {}),
    ...(input.pipelineLoggingId ? { pipelineLoggingId: input.pipelineLoggingId } : {}),
    status: input.status, today: days.today, yesterday: days.yesterday, now,
  });
  const base = { org_slug: input.orgSlug, pipeline_status: input.status, reservation_id: input.reservationId ?? null };
  if (affected > 0) return { ...base, success: true, released: true, message: `Run completed as ${input.status}; its concurrent slot is free` };
  if (!input.reservationId) return { ...base, success: false, released: false, message: 'No open reservation today or yesterday: nothing to complete' };
  const r = await findReservation(ctx.warehouse, tenant, input.reservationId);
  if (!r) throw new NotFoundError(`No reservation '${input.reservationId}' for organization '${input.orgSlug}'`, { reservation_id: input.reservationId });
  return { ...base, success: true, released: false, message: `Reservation already completed as ${r.pipeline_status ?? 'unknown'} at ${r.completed_at}; nothing changed` };
}
