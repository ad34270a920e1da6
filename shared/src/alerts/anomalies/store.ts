import { randomUUID } from 'node:crypto';
import type { InsertRow } from '../../warehouse/dml.js';
import type { ParamType, ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { addDays } from '../../i18n/dates.js';
import { alertColumns, alertRef, fromJson, selectParams, strOrNull, tsOf, tsOrNull } from '../tables.js';

/**
 * The one owner of `organizations.org_cost_anomalies` SQL: one record per tenant × series × run
 * of anomalous local days, and the tenant's lock row. A detection is ONE MERGE (recordAnomalies)
 * that extends the record its run touches (same series, overlapping or the day after its last)
 * or inserts a new one, and bumps the lock row in the same statement: insert-only statements
 * never conflict on BigQuery, so without the lock two concurrent detections would both insert;
 * with it, they conflict, the adapter reruns the loser, and its rerun matches the winner's record.
 * (The DuckDB concurrent-DML mode already treats any MERGE with a WHEN MATCHED clause that changed
 * rows as conflicting, so the race test passes with or without the lock; the lock is for BigQuery,
 * where a MERGE that only inserted is not certain to conflict.)
 */
const TABLE = 'org_cost_anomalies' as const;
const LOCK = '-lock-';
const cols = () => alertColumns(TABLE);

export const ANOMALY_STATUSES = ['open', 'acknowledged', 'resolved', 'ignored'] as const;
export type AnomalyStatus = (typeof ANOMALY_STATUSES)[number];
export const FEEDBACK = ['expected', 'not_anomaly'] as const;
export type Feedback = (typeof FEEDBACK)[number];

/** One anomalous day as recorded (amounts rounded to the currency). */
export interface AnomalyDay { day: string; actual: number; expected: number; mad: number; z: number | null; percent: number | null }
/** A SKU (for LLM series, SkuId is the model's) whose spend moved on the peak day. */
export interface Contributor { sku: string; actual: number; expected: number; delta: number }

/** What one detection found for one series (amounts already in the org's currency, rounded). */
export interface DetectedRun {
  anomaly_id: string;
  series_key: string;
  /** The hierarchy entity whose subtree the detection watched; null: the whole org. */
  hierarchy_entity_id: string | null;
  provider: string;
  service: string;
  model: string | null;
  cost_category: string | null;
  direction: 'up' | 'down';
  start_day: string;
  last_seen_day: string;
  peak_day: string;
  currency: string;
  actual_amount: string;
  expected_amount: string;
  impact_amount: string;
  percent_change: number | null;
  z_score: number;
  min_impact_amount: string;
  baseline_weeks: number;
  days: AnomalyDay[];
  contributors: Contributor[];
}

export interface AnomalyRecord extends DetectedRun {
  org_slug: string;
  status: AnomalyStatus;
  first_detected_at: string;
  last_detected_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  ignored_at: string | null;
  ignored_by: string | null;
  ignore_reason: string | null;
  feedback: Feedback | null;
  created_at: string;
  updated_at: string;
}

export async function ensureAnomalyLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  const T = alertRef(wh, TABLE);
  const params: Record<string, ParamValue> = { org_id: t.orgId };
  const types: Record<string, ParamType> = {};
  const lock: InsertRow = { anomaly_id: `${LOCK}${randomUUID()}`, kind: 'lock', org_slug: t.orgSlug, org_id: t.orgId, revision: 0, created_at: now, updated_at: now };
  await wh.execute({
    sql: `INSERT INTO ${T} (${cols().join(', ')}) SELECT ${cols().join(', ')} FROM (SELECT ${selectParams(TABLE, lock, 'l_', params, types)}) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T} AS m WHERE m.org_id = @org_id AND m.kind = 'lock')`,
    params, types,
  });
}

/** Columns a later detection of the same run rewrites (its numbers cover the run as it now stands). */
const RECOMPUTED = ['direction', 'peak_day', 'actual_amount', 'expected_amount', 'impact_amount', 'percent_change', 'z_score', 'min_impact_amount', 'baseline_weeks', 'days', 'contributors', 'currency', 'cost_category'] as const;

/**
 * ONE MERGE for every run of one detection. A run matches the tenant's record of its series
 * whose days overlap it or end the day before it starts: that record is extended (start_day the
 * earlier, last_seen_day the later, numbers recomputed; its status and feedback stay, except that a
 * resolved anomaly seen on a later day is open again, unresolved); a run that
 * matches none is inserted open. The lock row is bumped in the same statement (see above).
 * Returns the affected rows (lock included); 0 when the tenant has no lock row yet.
 */
export async function recordAnomalies(wh: Warehouse, t: Tenant, runs: readonly DetectedRun[], now: Date): Promise<number> {
  if (!runs.length) return 0;
  const T = alertRef(wh, TABLE);
  const c = cols();
  const params: Record<string, ParamValue> = { org_id: t.orgId, now };
  const types: Record<string, ParamType> = { now: 'TIMESTAMP' };
  // Every lock row of the tenant is bumped (two first detections may each have made one), so any two detections share a row.
  const anyLock = `EXISTS (SELECT 1 FROM ${T} AS k WHERE k.org_id = @org_id AND k.kind = 'lock')`;
  const sources = runs.map((r, i) => {
    const row: InsertRow = {
      ...r, days: JSON.stringify(r.days), contributors: JSON.stringify(r.contributors),
      kind: 'anomaly', org_slug: t.orgSlug, org_id: t.orgId, status: 'open', revision: 0,
      first_detected_at: now, last_detected_at: now, created_at: now, updated_at: now,
    };
    // The day before the run starts: a record seen up to then is the same anomaly, continued.
    params[`a${i}_touch`] = addDays(r.start_day, -1);
    types[`a${i}_touch`] = 'DATE';
    return `SELECT 'new' AS src, @a${i}_touch AS touch_from, ${c.map((x) => `g${i}.${x}`).join(', ')} FROM (SELECT ${selectParams(TABLE, row, `a${i}_`, params, types)}) AS g${i}
            WHERE ${anyLock}`;
  });
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT 'lock' AS src, CAST(NULL AS DATE) AS touch_from, ${c.map((x) => `l.${x}`).join(', ')} FROM ${T} AS l WHERE l.org_id = @org_id AND l.kind = 'lock'
            UNION ALL
            ${sources.join('\n            UNION ALL\n            ')}
          ) AS s
          ON t.org_id = @org_id AND (
            (s.src = 'lock' AND t.anomaly_id = s.anomaly_id)
            OR (s.src = 'new' AND t.kind = 'anomaly' AND t.series_key = s.series_key AND COALESCE(t.hierarchy_entity_id, '') = COALESCE(s.hierarchy_entity_id, '')
                AND t.start_day <= s.last_seen_day AND t.last_seen_day >= s.touch_from))
          WHEN MATCHED AND s.src = 'lock' THEN UPDATE SET revision = t.revision + 1, updated_at = @now
          WHEN MATCHED AND s.src = 'new' THEN UPDATE SET
            status = CASE WHEN t.status = 'resolved' AND s.last_seen_day > t.last_seen_day THEN 'open' ELSE t.status END,
            resolved_at = CASE WHEN t.status = 'resolved' AND s.last_seen_day > t.last_seen_day THEN NULL ELSE t.resolved_at END,
            resolved_by = CASE WHEN t.status = 'resolved' AND s.last_seen_day > t.last_seen_day THEN NULL ELSE t.resolved_by END,
            start_day = LEAST(t.start_day, s.start_day), last_seen_day = GREATEST(t.last_seen_day, s.last_seen_day),
            ${RECOMPUTED.map((x) => `${x} = s.${x}`).join(', ')}, last_detected_at = @now, updated_at = @now
          WHEN NOT MATCHED AND s.src = 'new' THEN INSERT (${c.join(', ')}) VALUES (${c.map((x) => `s.${x}`).join(', ')})`,
    params, types,
  });
  return affectedRows;
}

const dayOf = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const money = (v: unknown): string => (v === null || v === undefined ? '0' : String(v));

function toRecord(r: Row): AnomalyRecord {
  return {
    anomaly_id: String(r.anomaly_id), org_slug: String(r.org_slug), series_key: String(r.series_key), hierarchy_entity_id: strOrNull(r.hierarchy_entity_id),
    provider: String(r.provider), service: String(r.service), model: strOrNull(r.model), cost_category: strOrNull(r.cost_category),
    direction: r.direction === 'down' ? 'down' : 'up', status: String(r.status) as AnomalyStatus,
    start_day: dayOf(r.start_day), last_seen_day: dayOf(r.last_seen_day), peak_day: dayOf(r.peak_day), currency: String(r.currency),
    actual_amount: money(r.actual_amount), expected_amount: money(r.expected_amount), impact_amount: money(r.impact_amount), min_impact_amount: money(r.min_impact_amount),
    percent_change: num(r.percent_change), z_score: num(r.z_score) ?? 0, baseline_weeks: num(r.baseline_weeks) ?? 0,
    days: fromJson<AnomalyDay[]>(r.days, []), contributors: fromJson<Contributor[]>(r.contributors, []),
    first_detected_at: tsOf(r.first_detected_at), last_detected_at: tsOf(r.last_detected_at),
    acknowledged_at: tsOrNull(r.acknowledged_at), acknowledged_by: strOrNull(r.acknowledged_by),
    resolved_at: tsOrNull(r.resolved_at), resolved_by: strOrNull(r.resolved_by),
    ignored_at: tsOrNull(r.ignored_at), ignored_by: strOrNull(r.ignored_by), ignore_reason: strOrNull(r.ignore_reason),
    feedback: strOrNull(r.feedback) as Feedback | null,
    created_at: tsOf(r.created_at), updated_at: tsOf(r.updated_at),
  };
}

/** The tenant's records whose last day is on or after `sinceDay`, optionally of one status; newest first. */
export async function listAnomalies(wh: Warehouse, t: Tenant, q: { sinceDay: string; status?: AnomalyStatus; limit: number }): Promise<AnomalyRecord[]> {
  const rows = await wh.query({
    sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)}
          WHERE org_slug = @org AND org_id = @org_id AND kind = 'anomaly' AND last_seen_day >= @since${q.status ? ' AND status = @status' : ''}
          ORDER BY last_seen_day DESC, impact_amount DESC, anomaly_id LIMIT @limit`,
    params: { org: t.orgSlug, org_id: t.orgId, since: q.sinceDay, limit: q.limit, ...(q.status ? { status: q.status } : {}) },
    types: { since: 'DATE', limit: 'INT64' },
  });
  return rows.map(toRecord);
}

export async function getAnomaly(wh: Warehouse, t: Tenant, id: string): Promise<AnomalyRecord | null> {
  const rows = await wh.query({
    sql: `SELECT ${cols().join(', ')} FROM ${alertRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND kind = 'anomaly' AND anomaly_id = @id`,
    params: { org: t.orgSlug, org_id: t.orgId, id },
  });
  return rows[0] ? toRecord(rows[0]) : null;
}

/** A lifecycle step: who did it and what it sets. */
export type Transition =
  | { to: 'acknowledged'; by: string }
  | { to: 'resolved'; by: string }
  | { to: 'ignored'; by: string; reason: string; feedback: Feedback };

/** The statuses each step may leave (a step to the status it already has is answered unchanged by the verb). */
export const TRANSITIONS: Record<Transition['to'], readonly AnomalyStatus[]> = {
  acknowledged: ['open'],
  resolved: ['open', 'acknowledged'],
  ignored: ['open', 'acknowledged'],
};

/** ONE conditional UPDATE: moves the record only from a status the step may leave. Returns whether it moved. */
export async function transitionAnomaly(wh: Warehouse, t: Tenant, id: string, step: Transition, now: Date): Promise<boolean> {
  const set = step.to === 'acknowledged' ? 'acknowledged_at = @now, acknowledged_by = @by'
    : step.to === 'resolved' ? 'resolved_at = @now, resolved_by = @by'
      : 'ignored_at = @now, ignored_by = @by, ignore_reason = @reason, feedback = @feedback';
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, TABLE)} SET status = @to, ${set}, updated_at = @now
          WHERE org_slug = @org AND org_id = @org_id AND kind = 'anomaly' AND anomaly_id = @id AND status IN UNNEST(@from)`,
    params: { org: t.orgSlug, org_id: t.orgId, id, to: step.to, by: step.by, now, from: [...TRANSITIONS[step.to]], ...(step.to === 'ignored' ? { reason: step.reason, feedback: step.feedback } : {}) },
    types: { now: 'TIMESTAMP', from: { array: 'STRING' } },
  });
  return affectedRows > 0;
}
