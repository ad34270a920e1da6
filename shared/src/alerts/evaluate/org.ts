import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { errorText } from '../../errors.js';
import { localHour } from '../../i18n/dates.js';
import type { Tenant } from '../../orgs/identity.js';
import { listChannels } from '../channels/store.js';
import { deliver } from '../delivery/deliver.js';
import type { Channel } from '../channels/fields.js';
import { ensureFiringsLock, fireOnce, firingLanded, type Firing } from '../firings/store.js';
import type { Rule } from '../rules/fields.js';
import { listRules } from '../rules/store.js';
import { alertScope } from '../scope.js';
import type { Candidate } from './candidate.js';
import { evaluateRule, inQuietHours } from './rule.js';
import { escalateRule } from './escalate.js';
import { batches, deliverBatch } from './batch.js';
import { sendDueSummaries } from '../summaries/due.js';
import { sharedDetection } from '../anomalies/detect.js';

export interface OrgRunOptions {
  /** Rule types or categories to evaluate; empty: all. */
  alertTypes: readonly string[];
  sendNotifications: boolean;
  /** Evaluate only: nothing is recorded or sent. */
  dryRun: boolean;
}

export interface OrgRunResult {
  org_slug: string;
  rules_evaluated: number;
  alerts_triggered: number;
  notifications_sent: number;
  notifications_failed: number;
  /** Would fire but held: quiet hours (they fire at the first run after), or already fired / in cooldown. */
  held_quiet_hours: number;
  held_duplicate: number;
  /** Firings re-sent to the rule's escalation channels (unacknowledged after escalate_after_mins). */
  escalations: number;
  rule_errors: { rule_id: string; error: string }[];
  /** Digests whose scheduled time had come, and those this run claimed and sent. */
  summaries_due: number;
  summaries_sent: number;
  summary_errors: { summary_id: string; error: string }[];
  /** The evening detection of an org with no anomaly rule: the anomalies it recorded (null: not run). */
  anomalies_detected: number | null;
}

/** The local hour whose run detects anomalies for an org that has no anomaly rule (its day's data nearly all in). */
export const EVENING_DETECTION_HOUR = 23;

/** Decides one firing with the one MERGE; a lost answer is read back. On a tenant's first firing the lock row is made first. */
async function decide(ctx: Ctx, t: Tenant, f: Firing): Promise<boolean> {
  const once = async () => {
    try {
      return await fireOnce(ctx.warehouse, t, f);
    } catch (err) {
      if (await firingLanded(ctx.warehouse, t, f.firing_id).catch(() => false)) return 'fired' as const;
      throw err;
    }
  };
  let outcome = await once();
  if (outcome === 'no-lock') {
    await ensureFiringsLock(ctx.warehouse, t, f.fired_at);
    outcome = await once();
  }
  return outcome === 'fired';
}

/**
 * Evaluates the org's active rules (in parallel), then decides each candidate's firing in turn
 * (so a rule's cooldown holds its later candidates) and delivers a fired one to the rule's active
 * channels. A rule that fails to evaluate is a rule_errors entry; the others go on.
 */
export async function evaluateOrg(ctx: Ctx, orgSlug: string, opts: OrgRunOptions): Promise<OrgRunResult> {
  const scope = await alertScope(ctx, orgSlug);
  const t = scope.tenant;
  const [rules, channels] = await Promise.all([listRules(ctx.warehouse, t), listChannels(ctx.warehouse, t)]);
  const wanted = rules.filter((r) => r.is_active && (opts.alertTypes.length === 0 || opts.alertTypes.includes(r.rule_type) || opts.alertTypes.includes(r.rule_category)));
  const byId = new Map(channels.map((c) => [c.channel_id, c]));
  const result: OrgRunResult = { org_slug: orgSlug, rules_evaluated: wanted.length, alerts_triggered: 0, notifications_sent: 0, notifications_failed: 0, held_quiet_hours: 0, held_duplicate: 0, escalations: 0, rule_errors: [], summaries_due: 0, summaries_sent: 0, summary_errors: [], anomalies_detected: null };
  const evaluated = await Promise.allSettled(wanted.map((r) => evaluateRule(ctx, scope, r, { record: !opts.dryRun })));
  for (const [i, rule] of wanted.entries()) {
    const e = evaluated[i]!;
    if (e.status === 'rejected') {
      result.rule_errors.push({ rule_id: rule.rule_id, error: errorText(e.reason) });
      ctx.logger.log('WARNING', 'alert rule evaluation failed', { request_id: ctx.requestId, org_slug: orgSlug, rule_id: rule.rule_id, error: e.reason });
      continue;
    }
    for (const cand of e.value.candidates) {
      if (opts.dryRun) { result.alerts_triggered++; continue; }
      const now = ctx.clock();
      if (inQuietHours(rule, now, scope.profile.default_timezone)) { result.held_quiet_hours++; continue; }
      const firingId = `evt_${randomUUID()}`;
      let fired: boolean;
      try {
        fired = await decide(ctx, t, { firing_id: firingId, rule_id: rule.rule_id, dedupe_key: cand.dedupe_key, fired_at: now, cooldown_since: new Date(now.getTime() - rule.cooldown_minutes * 60_000), trigger_reason: cand.reason, evaluation_data: cand.data });
      } catch (err) {
        result.rule_errors.push({ rule_id: rule.rule_id, error: errorText(err) });
        break;
      }
      if (!fired) { result.held_duplicate++; continue; }
      result.alerts_triggered++;
      // A batched rule's firing waits for its window (deliverBatch below).
      if (opts.sendNotifications && !batches(rule)) {
        const sent = await deliverFiring(ctx, t, rule, cand, firingId, now, byId);
        result.notifications_sent += sent.ok;
        result.notifications_failed += sent.failed;
      }
    }
  }
  if (!opts.dryRun && opts.sendNotifications) {
    for (const rule of wanted) {
      // A batch due inside quiet hours waits for them to end, like a firing.
      if (!inQuietHours(rule, ctx.clock(), scope.profile.default_timezone)) {
        try {
          result.notifications_sent += (await deliverBatch(ctx, t, rule, byId, ctx.clock())).sent;
        } catch (err) {
          result.rule_errors.push({ rule_id: rule.rule_id, error: `batch: ${errorText(err)}` });
        }
      }
      try {
        const e = await escalateRule(ctx, t, rule, byId, ctx.clock());
        result.escalations += e.escalated;
        result.notifications_sent += e.sent;
      } catch (err) {
        result.rule_errors.push({ rule_id: rule.rule_id, error: `escalation: ${errorText(err)}` });
      }
    }
  }
  // An org with no anomaly rule still gets its anomalies recorded (the anomalies page, digests):
  // once a day, by the full run that falls in its local 23:00 hour (hourly runs: exactly one).
  const hasAnomalyRule = wanted.some((r) => r.rule_type === 'anomaly_percent_change' || r.rule_type === 'anomaly_std_deviation');
  if (!opts.dryRun && opts.alertTypes.length === 0 && !hasAnomalyRule && localHour(ctx.clock(), scope.profile.default_timezone) === EVENING_DETECTION_HOUR) {
    try {
      result.anomalies_detected = (await sharedDetection(ctx, scope, { record: true })).anomalies.length;
    } catch (err) {
      result.rule_errors.push({ rule_id: 'anomaly-detection', error: errorText(err) });
    }
  }
  // Digests ride the same run (the scheduler's one tick), asked for by alert_types 'summary' or by none.
  if (opts.sendNotifications && (opts.alertTypes.length === 0 || opts.alertTypes.includes('summary'))) {
    const due = await sendDueSummaries(ctx, scope, byId, opts.dryRun);
    result.summaries_due = due.summaries_due;
    result.summaries_sent = due.summaries_sent;
    result.notifications_sent += due.notifications_sent;
    result.notifications_failed += due.notifications_failed;
    result.summary_errors = due.errors;
  }
  return result;
}

/** To each active channel the rule names, in parallel; every attempt is in the history. */
async function deliverFiring(ctx: Ctx, t: Tenant, rule: Rule, cand: Candidate, firingId: string, now: Date, channels: Map<string, Channel>): Promise<{ ok: number; failed: number }> {
  const targets = rule.notify_channel_ids.map((id) => channels.get(id)).filter((c): c is Channel => c !== undefined && c.is_active);
  const outcomes = await Promise.all(targets.map((c) => deliver(ctx, t, c, {
    notification_type: 'alert', event_id: firingId, event_type: 'alert.triggered', org_slug: t.orgSlug, title: cand.title, text: cand.text, priority: rule.priority,
    occurred_at: now.toISOString(), rule_id: rule.rule_id, firing_id: firingId,
    data: { rule_name: rule.name, rule_type: rule.rule_type, rule_category: rule.rule_category, trigger_reason: cand.reason, dedupe_key: cand.dedupe_key, ...cand.data },
  }).catch((err: unknown) => {
    ctx.logger.log('ERROR', 'alert delivery failed', { request_id: ctx.requestId, org_slug: t.orgSlug, channel_id: c.channel_id, error: err });
    return { ok: false };
  })));
  const ok = outcomes.filter((o) => o.ok).length;
  return { ok, failed: outcomes.length - ok };
}

export { errorText };
