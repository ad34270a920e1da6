import type { AnomalyRecord } from './store.js';

/** A record as the API answers it: amounts as numbers in the org's currency, the series named. */
export function anomalyView(a: AnomalyRecord) {
  return {
    anomaly_id: a.anomaly_id, org_slug: a.org_slug, status: a.status, direction: a.direction,
    series: { key: a.series_key, provider: a.provider, service: a.service, model: a.model, cost_category: a.cost_category },
    hierarchy_entity_id: a.hierarchy_entity_id,
    start_day: a.start_day, last_seen_day: a.last_seen_day, peak_day: a.peak_day, currency: a.currency,
    actual_amount: Number(a.actual_amount), expected_amount: Number(a.expected_amount), impact_amount: Number(a.impact_amount),
    percent_change: a.percent_change, z_score: a.z_score, min_impact_amount: Number(a.min_impact_amount), baseline_weeks: a.baseline_weeks,
    days: a.days, contributors: a.contributors,
    first_detected_at: a.first_detected_at, last_detected_at: a.last_detected_at,
    acknowledged_at: a.acknowledged_at, acknowledged_by: a.acknowledged_by, resolved_at: a.resolved_at, resolved_by: a.resolved_by,
    ignored_at: a.ignored_at, ignored_by: a.ignored_by, ignore_reason: a.ignore_reason, feedback: a.feedback,
    created_at: a.created_at, updated_at: a.updated_at,
  };
}
export type AnomalyView = ReturnType<typeof anomalyView>;
