import type { Ctx } from '../../context/index.js';
import { formatAmount } from '../../i18n/index.js';
import { listChannels } from '../channels/store.js';
import { alertScope } from '../scope.js';
import { summaryOrThrow } from './read.js';
import { sendDigest } from './send.js';
import { markSent } from './store.js';

/**
 * POST .../summaries/{id}/send-now: builds and delivers the digest at once, whatever its schedule
 * (which stays as it is). Round-trips: scope | the digest and channels | the cost reduction (and
 * budgets) | the deliveries' history | last_sent_at.
 */
export async function sendSummaryNow(ctx: Ctx, input: { orgSlug: string; summaryId: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const [s, channels] = await Promise.all([summaryOrThrow(ctx, scope.tenant, input.summaryId), listChannels(ctx.warehouse, scope.tenant)]);
  const out = await sendDigest(ctx, scope, s, new Map(channels.map((c) => [c.channel_id, c])));
  const sent = out.deliveries.filter((x) => x.success).length;
  if (sent > 0) await markSent(ctx.warehouse, scope.tenant, s.summary_id, ctx.clock());
  const failed = out.deliveries.filter((x) => !x.success);
  return {
    success: sent > 0 && failed.length === 0,
    summary_id: s.summary_id,
    message: sent === 0 ? `Summary '${s.name}' was not delivered to any channel` : `Summary '${s.name}' sent to ${sent} of ${out.deliveries.length} channel(s)`,
    sent_to_channels: sent,
    failed_channels: failed.length,
    event_id: out.event_id,
    deliveries: out.deliveries,
    ...(failed.length ? { error: failed.map((f) => `${f.channel_id}: ${f.error}`).join('; ').slice(0, 500) } : {}),
    content_preview: { period: out.digest.period, total_cost: formatAmount(out.digest.total_cost, out.digest.currency) },
  };
}
