import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { actorOf } from '../../hierarchy/actor.js';
import { listChannels } from '../channels/store.js';
import { listSummaries } from '../summaries/store.js';
import { listRules, acknowledgeRule } from '../rules/store.js';
import { alertScope } from '../scope.js';
import { acknowledgeHistory, getHistory, historyCounts, listHistory } from './store.js';

/** History is kept and read for at most this many days (the partition filter of every read). */
export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

export async function listOrgHistory(ctx: Ctx, input: { orgSlug: string; notification_type?: string; channel_id?: string; status?: string; days?: number; limit?: number; offset?: number }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const days = input.days ?? 7;
  const limit = input.limit ?? 50;
  const offset = input.offset ?? 0;
  const { items, total } = await listHistory(ctx.warehouse, tenant, {
    since: new Date(ctx.clock().getTime() - days * DAY_MS), limit, offset,
    ...(input.notification_type ? { notification_type: input.notification_type } : {}), ...(input.channel_id ? { channel_id: input.channel_id } : {}), ...(input.status ? { status: input.status } : {}),
  });
  return { items: items.map((i) => ({ ...i, notification_id: i.history_id })), total, limit, offset, days };
}

export async function getOrgHistory(ctx: Ctx, input: { orgSlug: string; historyId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const e = await getHistory(ctx.warehouse, tenant, input.historyId, new Date(ctx.clock().getTime() - HISTORY_DAYS * DAY_MS));
  if (!e) throw new NotFoundError(`No notification ${input.historyId} in the last ${HISTORY_DAYS} days`, { history_id: input.historyId });
  return { ...e, notification_id: e.history_id };
}

/**
 * Acknowledges a notification (the first acknowledgement stays; a second one answers it
 * unchanged) and, for an alert, its rule (acknowledged_at/by on the rule).
 */
export async function acknowledgeOrgHistory(ctx: Ctx, input: { orgSlug: string; historyId: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const since = new Date(ctx.clock().getTime() - HISTORY_DAYS * DAY_MS);
  const e = await getHistory(ctx.warehouse, tenant, input.historyId, since);
  if (!e) throw new NotFoundError(`No notification ${input.historyId} in the last ${HISTORY_DAYS} days`, { history_id: input.historyId });
  const now = ctx.clock();
  const by = actorOf(ctx);
  if (!e.acknowledged_at) {
    await acknowledgeHistory(ctx.warehouse, tenant, input.historyId, since, now, by);
    if (e.rule_id) await acknowledgeRule(ctx.warehouse, tenant, e.rule_id, now, by);
  }
  const after = await getHistory(ctx.warehouse, tenant, input.historyId, since);
  return { ...after!, notification_id: after!.history_id };
}

/** The notifications page's counters. Round-trips: scope | channels, rules and the day's history counts (in parallel). */
export async function notificationStats(ctx: Ctx, input: { orgSlug: string }) {
  const { tenant } = await alertScope(ctx, input.orgSlug);
  const [channels, rules, summaries, counts] = await Promise.all([
    listChannels(ctx.warehouse, tenant), listRules(ctx.warehouse, tenant), listSummaries(ctx.warehouse, tenant), historyCounts(ctx.warehouse, tenant, new Date(ctx.clock().getTime() - DAY_MS)),
  ]);
  const finished = counts.sent + counts.failed;
  return {
    total_channels: channels.length, active_channels: channels.filter((c) => c.is_active).length,
    total_rules: rules.length, active_rules: rules.filter((r) => r.is_active).length,
    total_summaries: summaries.length, active_summaries: summaries.filter((s) => s.is_active).length,
    notifications_24h: counts.total, alerts_24h: counts.alerts,
    delivery_rate: finished === 0 ? 100 : Math.round((counts.sent / finished) * 10000) / 100,
    pending_acknowledgments: counts.pending_ack,
  };
}
