import type { Ctx } from '../../context/index.js';
import { formatAmount } from '../../i18n/index.js';
import { sharedDetection } from '../anomalies/detect.js';
import type { AnomalyRecord } from '../anomalies/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

function seriesName(a: AnomalyRecord): string {
  return [a.provider, a.service, a.model].filter(Boolean).join(' / ');
}

/**
 * anomaly_percent_change and anomaly_std_deviation: the detector's ongoing anomalies (last seen
 * today or yesterday) that pass the rule's threshold, direction, minimum impact and provider and
 * service filters; ignored and resolved ones never fire. One firing per rule and anomaly, however
 * many days it lasts (the dedupe key is the record's id). `record` false (dry runs, rule tests)
 * detects without writing the records.
 */
export async function evaluateAnomalies(ctx: Ctx, scope: AlertScope, rule: Rule, opts: { record?: boolean } = {}): Promise<Evaluation> {
  // A rule scoped to a hierarchy entity watches that subtree's own series (its spend, its floor).
  const d = await sharedDetection(ctx, scope, { record: opts.record ?? false, entityId: rule.hierarchy_entity_id });
  const c = rule.conditions as Conditions<'anomaly_percent_change'> & Partial<Conditions<'anomaly_std_deviation'>>;
  const yesterday = new Date(Date.parse(`${scope.today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const providers = rule.provider_filter.map((p) => p.toLowerCase());
  const passes = (a: AnomalyRecord): boolean => {
    if (a.status === 'ignored' || a.status === 'resolved' || a.last_seen_day < yesterday) return false;
    if (c.direction !== 'both' && a.direction !== c.direction) return false;
    if (c.min_impact_amount !== undefined && Math.abs(Number(a.impact_amount)) < c.min_impact_amount) return false;
    if (providers.length && !providers.includes(a.provider.toLowerCase())) return false;
    if (rule.service_filter.length && !rule.service_filter.includes(a.service)) return false;
    if (rule.rule_type === 'anomaly_std_deviation') return Math.abs(a.z_score) >= (c.std_threshold ?? 0);
    return a.percent_change === null || Math.abs(a.percent_change) >= c.percent_threshold;
  };
  const candidates: Candidate[] = d.anomalies.filter(passes).map((a) => {
    const impact = formatAmount(Number(a.impact_amount), a.currency);
    const pct = a.percent_change === null ? 'new spend' : `${a.percent_change > 0 ? '+' : ''}${a.percent_change.toFixed(1)} %`;
    const days = a.start_day === a.last_seen_day ? `on ${a.start_day}` : `from ${a.start_day} to ${a.last_seen_day}`;
    const top = a.contributors.slice(0, 3).map((x) => `${x.sku} ${formatAmount(x.delta, a.currency)}`).join(', ');
    return {
      dedupe_key: `${rule.rule_id}|anomaly:${a.anomaly_id}`,
      reason: `${seriesName(a)} ${a.direction === 'up' ? 'rose' : 'fell'} ${pct} (${impact}, z ${a.z_score}) ${days}`,
      title: `${rule.name}: ${seriesName(a)} ${pct} ${days}`,
      text: `Spend of ${seriesName(a)} was ${formatAmount(Number(a.actual_amount), a.currency)} against an expected ${formatAmount(Number(a.expected_amount), a.currency)} (same-weekday median of ${a.baseline_weeks} weeks) ${days}: ${impact}, ${pct}.${top ? ` Top contributors: ${top}.` : ''}`,
      data: { anomaly_id: a.anomaly_id, series: a.series_key, hierarchy_entity_id: a.hierarchy_entity_id, direction: a.direction, start_day: a.start_day, last_seen_day: a.last_seen_day, impact_amount: Number(a.impact_amount), percent_change: a.percent_change, z_score: a.z_score, currency: a.currency, contributors: a.contributors },
    };
  });
  return {
    candidates,
    observed: { series_watched: d.series_watched, currency: d.currency, min_impact_amount: d.min_impact_amount, average_daily_spend: d.average_daily_spend, window: d.window, anomalies: d.anomalies.map((a) => ({ anomaly_id: a.anomaly_id, series: a.series_key, status: a.status, percent_change: a.percent_change, z_score: a.z_score, impact_amount: Number(a.impact_amount) })) },
  };
}
