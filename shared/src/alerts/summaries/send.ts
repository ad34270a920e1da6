import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { errorText } from '../../errors.js';
import type { Channel } from '../channels/fields.js';
import { deliver } from '../delivery/deliver.js';
import type { AlertScope } from '../scope.js';
import { buildDigest, type Digest } from './content.js';
import type { Summary } from './fields.js';

export interface SendOutcome { digest: Digest; event_id: string; deliveries: { channel_id: string; success: boolean; error: string | null }[] }

/**
 * Builds the digest once and delivers it to each active channel it names (in parallel, each with
 * the bounded retries of deliver(), every attempt in the history as notification_type summary).
 * One event id per send, so a webhook receiver de-duplicates retries.
 */
export async function sendDigest(ctx: Ctx, scope: AlertScope, s: Summary, channels: ReadonlyMap<string, Channel>, eventId = `sum_${randomUUID()}`): Promise<SendOutcome> {
  const digest = await buildDigest(ctx, scope, s, { record: true });
  const targets = s.notify_channel_ids.map((id) => channels.get(id)).filter((c): c is Channel => c !== undefined && c.is_active);
  const deliveries = await Promise.all(targets.map(async (c) => {
    try {
      const r = await deliver(ctx, scope.tenant, c, {
        notification_type: 'summary', event_id: eventId, event_type: 'summary.sent', org_slug: s.org_slug, title: digest.subject, text: digest.text, priority: 'info',
        occurred_at: digest.generated_at, summary_id: s.summary_id,
        data: { summary_id: s.summary_id, summary_name: s.name, summary_type: s.summary_type, period_start: digest.period_start, period_end: digest.period_end, currency: digest.currency, total_cost: digest.total_cost, previous_total_cost: digest.previous_total_cost, change_percent: digest.change_percent, sections: digest.sections },
      });
      return { channel_id: c.channel_id, success: r.ok, error: r.ok ? null : r.attempts.at(-1)?.error ?? 'not delivered' };
    } catch (err) {
      ctx.logger.log('ERROR', 'digest delivery failed', { request_id: ctx.requestId, org_slug: s.org_slug, channel_id: c.channel_id, error: err });
      return { channel_id: c.channel_id, success: false, error: errorText(err) };
    }
  }));
  const missing = s.notify_channel_ids.filter((id) => !targets.some((c) => c.channel_id === id)).map((id) => ({ channel_id: id, success: false, error: channels.has(id) ? 'the channel is paused' : 'the channel no longer exists' }));
  return { digest, event_id: eventId, deliveries: [...deliveries, ...missing] };
}
