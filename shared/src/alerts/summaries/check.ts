import type { Ctx } from '../../context/index.js';
import { refuseField } from '../../errors.js';
import { currency } from '../../i18n/index.js';
import { listChannels } from '../channels/store.js';
import type { AlertScope } from '../scope.js';
import type { Summary } from './fields.js';
import { nextRun } from './schedule.js';

const fail = refuseField;

/**
 * A digest as it will be stored is one that can be built and sent: a cron that runs (in a real
 * zone), at least one section, every channel named existing in this org, a supported display
 * currency. Returns it with next_scheduled_at computed from `now` (null while paused).
 * Round-trips: the channels.
 */
export async function checkSummary(ctx: Ctx, scope: AlertScope, s: Summary, now: Date): Promise<Summary> {
  if (s.notify_channel_ids.length === 0) fail('notify_channel_ids', 'at least one channel to send the digest to');
  if (s.include_sections.length === 0) fail('include_sections', 'at least one section');
  if (s.currency_display !== null && !currency(s.currency_display)) fail('currency_display', `not a supported currency: ${s.currency_display}`);
  const [next, channels] = await Promise.all([nextRun(s.schedule_cron, s.schedule_timezone, now), listChannels(ctx.warehouse, scope.tenant)]);
  const known = new Set(channels.map((c) => c.channel_id));
  const unknown = s.notify_channel_ids.filter((id) => !known.has(id));
  if (unknown.length) fail('notify_channel_ids', `no channel ${unknown.join(', ')} in this org`);
  return { ...s, currency_display: s.currency_display?.toUpperCase() ?? null, include_sections: [...new Set(s.include_sections)], next_scheduled_at: s.is_active ? next.toISOString() : null };
}
