/**
 * A plan's status is computed when it is read, from its dates and the org's date today, so it
 * is never stale (nothing has to run at midnight). Order matters:
 *   cancelled  ended by request (DELETE, PUT status cancelled, provider disable or reset), even
 *              while its last paid day is still ahead: it is paid through end_date, then stops
 *   pending    starts after today
 *   expired    its end date has passed (an earlier version closed by edit-version, a fixed term)
 *   active     otherwise
 * `today` is the org's own calendar date: in Asia/Kolkata a plan starting on the 11th is active
 * from 18:30 UTC on the 10th.
 */
export const PLAN_STATUSES = ['pending', 'active', 'cancelled', 'expired'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export function planStatus(p: { start_date: string; end_date: string | null; cancelled_at: string | null }, today: string): PlanStatus {
  if (p.cancelled_at) return 'cancelled';
  if (p.start_date > today) return 'pending';
  if (p.end_date !== null && p.end_date < today) return 'expired';
  return 'active';
}
