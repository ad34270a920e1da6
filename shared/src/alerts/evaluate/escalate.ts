import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import type { Tenant } from '../../orgs/identity.js';
import type { Channel } from '../channels/fields.js';
import { deliver } from '../delivery/deliver.js';
import { firingsToEscalate, fireOnce } from '../firings/store.js';
import { acknowledgedFirings } from '../history/store.js';
import type { Rule } from '../rules/fields.js';

/** Firings older than this are not escalated any more (a run that was down for a week does not page for last week). */
const ESCALATION_LOOKBACK_MS = 7 * 86_400_000;

/**
 * A firing still unacknowledged escalate_after_mins after it fired is re-sent, once, to the rule's
 * escalation channels. "Once" is decided like a firing: ONE MERGE on the firing key
 * `esc|<firing_id>` (rule `<rule_id>#escalation`, so it never meets the rule's own cooldown).
 * Acknowledged: any delivery of the firing acknowledged, or the rule acknowledged after it fired.
 */
export async function escalateRule(ctx: Ctx, t: Tenant, rule: Rule, channels: Map<string, Channel>, now: Date): Promise<{ escalated: number; sent: number }> {
  if (!rule.escalate_after_mins || rule.escalate_to_channel_ids.length === 0) return { escalated: 0, sent: 0 };
  const before = new Date(now.getTime() - rule.escalate_after_mins * 60_000);
  const since = new Date(now.getTime() - ESCALATION_LOOKBACK_MS);
  const [due, acked] = await Promise.all([firingsToEscalate(ctx.warehouse, t, rule.rule_id, { since, before }), acknowledgedFirings(ctx.warehouse, t, since)]);
  const targets = rule.escalate_to_channel_ids.map((id) => channels.get(id)).filter((c): c is Channel => c !== undefined && c.is_active);
  let escalated = 0;
  let sent = 0;
  for (const f of due) {
    if (acked.has(f.firing_id) || (rule.acknowledged_at && rule.acknowledged_at >= f.fired_at)) continue;
    const id = `evt_${randomUUID()}`;
    const outcome = await fireOnce(ctx.warehouse, t, { firing_id: id, rule_id: `${rule.rule_id}#escalation`, dedupe_key: `esc|${f.firing_id}`, fired_at: now, cooldown_since: now, trigger_reason: `escalation of ${f.firing_id}`, evaluation_data: { escalates: f.firing_id } });
    if (outcome !== 'fired') continue;
    escalated++;
    const results = await Promise.all(targets.map((c) => deliver(ctx, t, c, {
      notification_type: 'alert', event_id: id, event_type: 'alert.triggered', org_slug: t.orgSlug,
      title: `[ESCALATED] ${rule.name}`, text: `Not acknowledged ${rule.escalate_after_mins} minutes after it fired (${f.fired_at}): ${f.trigger_reason ?? rule.name}.`,
      priority: rule.priority, occurred_at: now.toISOString(), rule_id: rule.rule_id, firing_id: id,
      data: { escalation: true, escalates_firing_id: f.firing_id, rule_name: rule.name, trigger_reason: f.trigger_reason },
    })));
    sent += results.filter((r) => r.ok).length;
  }
  return { escalated, sent };
}
