import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { ANOMALY_STATUSES, FEEDBACK } from '@cloudact/shared/alerts/anomalies/store';

/** Path parameters, queries, bodies and answers of the anomaly routes (issue 20). */
const Timestamp = z.string().describe('ISO 8601, UTC');
const Day = z.string().describe('A local day of the org (YYYY-MM-DD)');
export const AnomalyParams = z.strictObject({ org_slug: OrgSlug, anomaly_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'anomaly_id: letters, digits, _ and -') });
export const AnomalyQuery = z.strictObject({
  status: z.enum(ANOMALY_STATUSES).optional(),
  days: z.coerce.number().int().min(1).max(90).optional().describe('Anomalies last seen within the org\'s last `days` local days (1-90, default 30)'),
  hierarchy_entity_id: z.string().trim().regex(/^[A-Za-z0-9_-]{1,50}$/, 'hierarchy_entity_id: letters, digits, _ and -').optional().describe('Only the anomalies detected within this entity\'s subtree (a scoped rule or digest); absent: every record'),
});
export const IgnoreBody = z.strictObject({
  reason: z.string().trim().min(1).max(1000).describe('Why it is ignored'),
  feedback: z.enum(FEEDBACK).describe('expected (real but planned spend) or not_anomaly (the detector was wrong)'),
});

const DayPoint = z.object({ day: Day, actual: z.number(), expected: z.number(), mad: z.number(), z: z.number().nullable(), percent: z.number().nullable() });
const Contributor = z.object({ sku: z.string(), actual: z.number(), expected: z.number(), delta: z.number() });
export const Anomaly = z.object({
  anomaly_id: z.string(), org_slug: z.string(), status: z.enum(ANOMALY_STATUSES), direction: z.enum(['up', 'down']),
  series: z.object({ key: z.string(), provider: z.string(), service: z.string(), model: z.string().nullable().describe('LLM series only'), cost_category: z.string().nullable() }),
  hierarchy_entity_id: z.string().nullable().describe('The entity whose subtree\'s costs were watched (a scoped rule or digest); null: the whole org'),
  start_day: Day, last_seen_day: Day, peak_day: Day, currency: z.string(),
  actual_amount: z.number(), expected_amount: z.number(), impact_amount: z.number().describe('actual − expected over start_day..last_seen_day, in the org\'s currency'),
  percent_change: z.number().nullable().describe('null: nothing was expected (new spend)'), z_score: z.number().describe('The largest robust z of its days'),
  min_impact_amount: z.number(), baseline_weeks: z.number(),
  days: z.array(DayPoint), contributors: z.array(Contributor).describe('The SKUs (for LLM series, models) that moved most on the peak day'),
  first_detected_at: Timestamp, last_detected_at: Timestamp,
  acknowledged_at: Timestamp.nullable(), acknowledged_by: z.string().nullable(), resolved_at: Timestamp.nullable(), resolved_by: z.string().nullable(),
  ignored_at: Timestamp.nullable(), ignored_by: z.string().nullable(), ignore_reason: z.string().nullable(), feedback: z.enum(FEEDBACK).nullable(),
  created_at: Timestamp, updated_at: Timestamp,
});
export const AnomalyList = z.object({ items: z.array(Anomaly), total: z.number(), days: z.number(), currency: z.string() });
export const Detection = z.object({
  anomalies: z.array(Anomaly), series_watched: z.number(), currency: z.string(), today: Day,
  min_impact_amount: z.number().describe('The impact a day needed: max(1 % of average daily spend, 10 USD in the org\'s currency)'),
  average_daily_spend: z.number(), window: z.object({ from: Day, to: Day }),
});
