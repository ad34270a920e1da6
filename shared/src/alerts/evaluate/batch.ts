import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Channel } from '../channels/fields.js';
import { deliver } from '../delivery/deliver.js';
import { fireOnce, firingsOfRules } from '../firings/store.js';
import type { Rule } from '../rules/fields.js';

/** Firings older than this are not batched any more (a run down for a week does not send last week's). */
const BATCH_LOOKBACK_MS = 7 * 86_400_000;
const MAX_LINES = 20;

/** Whether the rule's firings wait for a batch instead of being delivered one by one. */
export function batches(rule: Rule): boolean {
  return (rule.batch_window_minutes ?? 0) > 0;
}

/**
 * A batched rule's firings are delivered together: the oldest firing no batch covers opens a
 * window of batch_window_minutes; once it has passed, every firing of the rule inside it goes out
 * as ONE message per channel. "Once" is decided like a firing: ONE MERGE on the key
 * `batch|<first firing_id>` (rule `<rule_id>#batch`, so it never meets the rule's own cooldown);
 * concurrent runs compute the same first firing, and only the MERGE's winner delivers.
 */
export async function deliverBatch(ctx: Ctx, t: Tenant, rule: Rule, channels: Map<string, Channel>, now: Date): Promise<{ batches: number; sent: number }> {
  if (!batches(rule)) return { batches: 0, sent: 0 };
  const windowMs = rule.batch_window_minutes! * 60_000;
  const batchRule = `${rule.rule_id}#batch`;
  const rows = await firingsOfRules(ctx.warehouse, t, [rule.rule_id, batchRule], new Date(now.getTime() - BATCH_LOOKBACK_MS - windowMs));
  const covered = rows.filter((r) => r.rule_id === batchRule).map((r) => parseWindow(r.evaluation_data)).filter((w): w is { from: number; until: number } => w !== null);
  const pending = rows.filter((r) => r.rule_id === rule.rule_id).filter((r) => {
    const at = Date.parse(r.fired_at);
    return !covered.some((w) => at >= w.from && at < w.until);
  });
  const first = pending[0];
  if (!first) return { batches: 0, sent: 0 };
  const from = Date.parse(first.fired_at);
  const until = from + windowMs;
  if (now.getTime() < until) return { batches: 0, sent: 0 };
  const members = pending.filter((r) => Date.parse(r.fired_at) < until);
  const id = `evt_${randomUUID()}`;
  const outcome = await fireOnce(ctx.warehouse, t, {
    firing_id: id, rule_id: batchRule, dedupe_key: `batch|${first.firing_id}`, fired_at: now, cooldown_since: now,
    trigger_reason: `batch of ${members.length} firing${members.length === 1 ? '' : 's'}`,
    evaluation_data: { from: new Date(from).toISOString(), until: new Date(until).toISOString(), firing_ids: members.map((m) => m.firing_id) },
  });
  if (outcome !== 'fired') return { batches: 0, sent: 0 };
  const targets = rule.notify_channel_ids.map((c) => channels.get(c)).filter((c): c is Channel => c !== undefined && c.is_active);
  const lines = members.slice(0, MAX_LINES).map((m) => `- ${m.fired_at}: ${m.trigger_reason ?? rule.name}`);
  if (members.length > MAX_LINES) lines.push(`- and ${members.length - MAX_LINES} more`);
  const results = await Promise.all(targets.map((c) => deliver(ctx, t, c, {
    notification_type: 'alert', event_id: id, event_type: 'alert.triggered', org_slug: t.orgSlug,
    title: `${rule.name}: ${members.length} alert${members.length === 1 ? '' : 's'} in ${rule.batch_window_minutes} minutes`,
    text: [`${members.length} firing${members.length === 1 ? '' : 's'} of ${rule.name} between ${new Date(from).toISOString()} and ${new Date(until).toISOString()}:`, ...lines].join('\n'),
    priority: rule.priority, occurred_at: now.toISOString(), rule_id: rule.rule_id, firing_id: id,
    data: { batch: true, rule_name: rule.name, rule_type: rule.rule_type, batch_window_minutes: rule.batch_window_minutes, firing_ids: members.map((m) => m.firing_id), trigger_reasons: members.map((m) => m.trigger_reason) },
  }).catch((err: unknown) => {
    ctx.logger.log('ERROR', 'alert batch delivery failed', { request_id: ctx.requestId, org_slug: t.orgSlug, channel_id: c.channel_id, error: err });
    return { ok: false };
  })));
  return { batches: 1, sent: results.filter((r) => r.ok).length };
}

function parseWindow(json: string | null): { from: number; until: number } | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as { from?: unknown; until?: unknown };
    return typeof v.from === 'string' && typeof v.until === 'string' ? { from: Date.parse(v.from), until: Date.parse(v.until) } : null;
  } catch {
    return null;
  }
}
