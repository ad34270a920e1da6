import type { Ctx } from '../../context/index.js';
import type { Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import { evaluateAbsolute } from './absolute.js';
import { evaluateAnomalies } from './anomaly.js';
import { evaluateBudget } from './budget.js';
import type { Evaluation } from './candidate.js';
import { evaluateIntegrations } from './integration.js';
import { evaluatePipelines } from './pipeline.js';
import { evaluateFreshness } from './freshness.js';
import { evaluatePipelineSuccess } from './pipeline-success.js';
import { evaluateRenewals } from './renewal.js';
import { evaluateExpiry } from './expiry.js';

/** One rule's evaluation, by its type (every type a rule can be stored with has one here). `record`: a real run (not dry, not a rule test) may write what it detects. */
export function evaluateRule(ctx: Ctx, scope: AlertScope, rule: Rule, opts: { record?: boolean } = {}): Promise<Evaluation> {
  switch (rule.rule_type) {
    case 'absolute_threshold': return evaluateAbsolute(ctx, scope, rule);
    case 'budget_percent': case 'budget_forecast': case 'hierarchy_budget': return evaluateBudget(ctx, scope, rule);
    case 'pipeline_failure': return evaluatePipelines(ctx, scope, rule);
    case 'integration_health': return evaluateIntegrations(ctx, scope, rule);
    case 'pipeline_success': return evaluatePipelineSuccess(ctx, scope, rule);
    case 'subscription_renewal': return evaluateRenewals(ctx, scope, rule);
    case 'data_freshness': return evaluateFreshness(ctx, scope, rule);
    case 'credential_expiry': return evaluateExpiry(ctx, scope, rule);
    case 'anomaly_percent_change': case 'anomaly_std_deviation': return evaluateAnomalies(ctx, scope, rule, opts);
  }
}

/** Whether `now` is inside the rule's quiet hours (in their zone; a window may wrap midnight). */
export function inQuietHours(rule: Rule, now: Date, orgZone: string): boolean {
  if (!rule.quiet_hours_start || !rule.quiet_hours_end) return false;
  const hm = new Intl.DateTimeFormat('en-GB', { timeZone: rule.quiet_hours_timezone ?? orgZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(now);
  const [s, e] = [rule.quiet_hours_start, rule.quiet_hours_end];
  return s <= e ? hm >= s && hm < e : hm >= s || hm < e;
}
