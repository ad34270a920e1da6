import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { deliver } from '../delivery/deliver.js';
import { alertScope } from '../scope.js';
import { channelOrThrow } from './read.js';

/**
 * A real delivery of a test message to the channel's own target (one attempt: the caller is
 * waiting), recorded in the history, answered with the receiver's own words.
 */
export async function testChannel(ctx: Ctx, input: { orgSlug: string; channelId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const channel = await channelOrThrow(ctx, tenant, input.channelId);
  const now = ctx.clock();
  const result = await deliver(ctx, tenant, channel, {
    notification_type: 'test', event_id: `test_${randomUUID()}`, event_type: 'channel.test', org_slug: input.orgSlug,
    title: `Test notification for ${channel.name}`, text: `This is a test of the ${channel.channel_type} channel "${channel.name}" of ${input.orgSlug}. If you can read it, alerts will reach you here.`,
    priority: 'info', occurred_at: now.toISOString(), data: { channel_id: channel.channel_id },
  }, { attempts: 1, backoffMs: [] });
  const a = result.attempts[0]!;
  return a.ok
    ? { success: true, message: `Delivered (${a.status ?? 'ok'}${a.response ? `: ${a.response.slice(0, 200)}` : ''})`, channel_id: channel.channel_id, channel_name: channel.name, provider_status: a.status, history_id: result.history_ids[0] ?? null }
    : { success: false, message: 'Delivery failed', error: a.error ?? 'failed', channel_id: channel.channel_id, channel_name: channel.name, provider_status: a.status, history_id: result.history_ids[0] ?? null };
}
