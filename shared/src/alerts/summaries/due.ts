import type { Ctx } from '../../context/index.js';
import { errorText } from '../../errors.js';
import type { Channel } from '../channels/fields.js';
import type { AlertScope } from '../scope.js';
import { nextRun } from './schedule.js';
import { sendDigest } from './send.js';
import { randomUUID } from 'node:crypto';
import { claimDue, claimLanded, listSummaries } from './store.js';

/** The claim's one UPDATE; a lost answer is read back by its token (so a committed claim still sends, once). */
async function claim(ctx: Ctx, scope: AlertScope, id: string, due: Date, next: Date, now: Date, token: string): Promise<boolean> {
  try {
    return await claimDue(ctx.warehouse, scope.tenant, id, due, next, now, token) > 0;
  } catch (err) {
    if (await claimLanded(ctx.warehouse, scope.tenant, id, token).catch(() => false)) return true;
    throw err;
  }
}

export interface DueResult { summaries_due: number; summaries_sent: number; notifications_sent: number; notifications_failed: number; errors: { summary_id: string; error: string }[] }

/**
 * The org's digests whose next_scheduled_at has come: each is claimed by one conditional UPDATE
 * (the next send computed from now in its zone, so a digest missed while nothing ran is sent once,
 * not once per missed slot), and only the claimant builds and sends it. A claimed digest whose
 * delivery fails is in the history as failed and waits for its next slot (at most once, never
 * twice). dryRun counts the due ones and claims nothing.
 */
export async function sendDueSummaries(ctx: Ctx, scope: AlertScope, channels: ReadonlyMap<string, Channel>, dryRun: boolean): Promise<DueResult> {
  const now = ctx.clock();
  const due = (await listSummaries(ctx.warehouse, scope.tenant)).filter((s) => s.is_active && s.next_scheduled_at !== null && Date.parse(s.next_scheduled_at) <= now.getTime());
  const result: DueResult = { summaries_due: due.length, summaries_sent: 0, notifications_sent: 0, notifications_failed: 0, errors: [] };
  if (dryRun) return result;
  for (const s of due) {
    try {
      const next = await nextRun(s.schedule_cron, s.schedule_timezone, now);
      const eventId = `sum_${randomUUID()}`;
      if (!await claim(ctx, scope, s.summary_id, new Date(s.next_scheduled_at!), next, now, eventId)) continue;
      const out = await sendDigest(ctx, scope, s, channels, eventId);
      result.summaries_sent++;
      result.notifications_sent += out.deliveries.filter((x) => x.success).length;
      result.notifications_failed += out.deliveries.filter((x) => !x.success).length;
    } catch (err) {
      result.errors.push({ summary_id: s.summary_id, error: errorText(err) });
      ctx.logger.log('WARNING', 'digest send failed', { request_id: ctx.requestId, org_slug: s.org_slug, summary_id: s.summary_id, error: err });
    }
  }
  return result;
}
