import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { listChannels } from '../channels/store.js';
import { deliver } from '../delivery/deliver.js';
import { evaluateRule } from '../evaluate/rule.js';
import { alertScope } from '../scope.js';
import { ruleOrThrow } from './read.js';

/**
 * Evaluates one rule of the caller's own org now, as a run would, without recording a firing (a
 * test never uses up the rule's period or cooldown). With send_notification, a would-be alert is
 * delivered to the rule's active channels, marked as a test (history type `test`, one attempt each).
 */
export async function testRule(ctx: Ctx, input: { orgSlug: string; ruleId: string; sendNotification: boolean }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const rule = await ruleOrThrow(ctx, scope.tenant, input.ruleId);
  const evaluation = await evaluateRule(ctx, scope, rule);
  const first = evaluation.candidates[0];
  let sent = false;
  let deliveries: { channel_id: string; success: boolean; error: string | null }[] = [];
  if (first && input.sendNotification) {
    const channels = (await listChannels(ctx.warehouse, scope.tenant)).filter((c) => c.is_active && rule.notify_channel_ids.includes(c.channel_id));
    const now = ctx.clock();
    const results = await Promise.all(channels.map(async (c) => ({ c, r: await deliver(ctx, scope.tenant, c, {
      notification_type: 'test', event_id: `test_${randomUUID()}`, event_type: 'alert.triggered', org_slug: input.orgSlug, title: `[TEST] ${first.title}`, text: first.text,
      priority: rule.priority, occurred_at: now.toISOString(), rule_id: rule.rule_id, data: { test: true, rule_name: rule.name, rule_type: rule.rule_type, trigger_reason: first.reason, ...first.data },
    }, { attempts: 1, backoffMs: [] }) })));
    deliveries = results.map(({ c, r }) => ({ channel_id: c.channel_id, success: r.ok, error: r.attempts[0]?.error ?? null }));
    sent = deliveries.some((d) => d.success);
  }
  return {
    success: true, rule_id: rule.rule_id, rule_name: rule.name, would_trigger: first !== undefined,
    trigger_reason: first ? evaluation.candidates.map((c) => c.reason).join('; ') : null,
    evaluation_data: evaluation.observed, notification_sent: sent, deliveries,
  };
}
