import type { Tenant } from '../../orgs/identity.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import { pipelineRef } from '../tables.js';

/**
 * The one owner of `org_usage_quotas` SQL: the pipelines' admissions and completions, and the
 * quota route's read (quotaRowsOfSlug). Three kinds of row share the table, so that one statement can decide an admission:
 *
 * - DAY (`day:{org_id}:{date}`, dated the org's local day): the counts the quota route shows.
 * - LOCK (`lock:{org_id}`) and RESERVATION (the reservation id): dated CONTROL_DATE, a day no
 *   usage window reaches, so the quota route never sees them. A reservation row records one
 *   admitted run: its pipeline, the local day it counts on, its lease, and its completion.
 *
 * BigQuery has no unique keys and two insert-only statements never conflict, so the first
 * admissions of a day would each insert a DAY row if nothing else were modified. Every admission
 * therefore also updates the org's LOCK row: two admissions of one org always modify a common
 * row, BigQuery runs them one after another (a loser fails with "could not serialize" and the
 * adapter reruns it on a fresh snapshot), and each sees the counts every earlier one committed.
 * An extra LOCK row (two first admissions each inserting one) is harmless: every admission
 * matches and updates all of them.
 */
export const CONTROL_DATE = '1970-01-01';

export const lockId = (t: Tenant) => `lock:${t.orgId}`;
export const dayId = (t: Tenant, date: string) => `day:${t.orgId}:${date}`;

const T = (wh: Warehouse) => pipelineRef(wh, 'org_usage_quotas');
const TENANT = 'org_slug = @org AND org_id = @org_id';
/** Open reservations still inside their lease: the concurrent count. */
const RUNNING = `usage_date = @control AND row_kind = 'RESERVATION' AND completed_at IS NULL AND lease_expires_at > @now`;

export interface Limits { daily: number; monthly: number; concurrent: number }

export interface Admission {
  reservationId: string;
  pipelineId: string;
  today: string;
  monthStart: string;
  leaseExpiresAt: Date;
  limits: Limits;
  now: Date;
}

/**
 * The admission: one MERGE that, only while today's runs, this month's runs (the sum of the
 * month's DAY rows, not a carried counter) and the open leases are all under the plan's limits,
 * touches the LOCK row, counts the run on today's DAY row (inserting it for the day's first run)
 * and inserts the RESERVATION row. Returns the rows it affected: 0 means refused.
 */
export async function admitRun(wh: Warehouse, t: Tenant, a: Admission): Promise<number> {
  const q = T(wh);
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${q} AS T
      USING (
        SELECT k.kind, k.usage_id, c.month_runs, c.running
        FROM (SELECT 'LOCK' AS kind, @lock_id AS usage_id UNION ALL SELECT 'DAY', @day_id UNION ALL SELECT 'RESERVATION', @reservation_id) AS k
        CROSS JOIN (
          SELECT
            (SELECT COALESCE(SUM(pipelines_run_today), 0) FROM ${q} WHERE ${TENANT} AND usage_date = @today) AS today_runs,
            (SELECT COALESCE(SUM(pipelines_run_today), 0) FROM ${q} WHERE ${TENANT} AND usage_date BETWEEN @month_start AND @today) AS month_runs,
            (SELECT COUNT(*) FROM ${q} WHERE ${TENANT} AND ${RUNNING}) AS running
        ) AS c
        WHERE c.today_runs < @daily_limit AND c.month_runs < @monthly_limit AND c.running < @concurrent_limit
      ) AS S
      ON T.usage_id = S.usage_id AND T.org_slug = @org AND T.org_id = @org_id AND T.usage_date IN (@control, @today)
      WHEN MATCHED AND S.kind = 'LOCK' THEN
        UPDATE SET last_updated = @now
      WHEN MATCHED AND S.kind = 'DAY' THEN
        UPDATE SET pipelines_run_today = T.pipelines_run_today + 1, pipelines_run_month = S.month_runs + 1, concurrent_pipelines_running = S.running + 1,
          max_concurrent_reached = GREATEST(COALESCE(T.max_concurrent_reached, 0), S.running + 1),
          daily_limit = @daily_limit, monthly_limit = @monthly_limit, concurrent_limit = @concurrent_limit, last_updated = @now
      WHEN NOT MATCHED AND S.kind = 'DAY' THEN
        INSERT (usage_id, org_slug, org_id, usage_date, row_kind, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today, pipelines_run_month,
          concurrent_pipelines_running, daily_limit, monthly_limit, concurrent_limit, max_concurrent_reached, last_updated, created_at)
        VALUES (S.usage_id, @org, @org_id, @today, 'DAY', 1, 0, 0, S.month_runs + 1, S.running + 1, @daily_limit, @monthly_limit, @concurrent_limit, S.running + 1, @now, @now)
      WHEN NOT MATCHED AND S.kind = 'RESERVATION' THEN
        INSERT (usage_id, org_slug, org_id, usage_date, row_kind, reservation_date, pipeline_id, lease_expires_at, pipelines_run_today, pipelines_succeeded_today,
          pipelines_failed_today, pipelines_run_month, concurrent_pipelines_running, daily_limit, last_updated, created_at)
        VALUES (S.usage_id, @org, @org_id, @control, 'RESERVATION', @today, @pipeline_id, @lease_expires_at, 0, 0, 0, 0, 0, @daily_limit, @now, @now)`,
    params: {
      org: t.orgSlug, org_id: t.orgId, lock_id: lockId(t), day_id: dayId(t, a.today), reservation_id: a.reservationId, pipeline_id: a.pipelineId,
      control: CONTROL_DATE, today: a.today, month_start: a.monthStart, now: a.now, lease_expires_at: a.leaseExpiresAt,
      daily_limit: a.limits.daily, monthly_limit: a.limits.monthly, concurrent_limit: a.limits.concurrent,
    },
    types: { control: 'DATE', today: 'DATE', month_start: 'DATE', now: 'TIMESTAMP', lease_expires_at: 'TIMESTAMP' },
  });
  return affectedRows;
}

/** The org's LOCK row, once (an admission first reads whether it exists). */
export async function insertLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  await wh.execute({
    sql: `INSERT INTO ${T(wh)} (usage_id, org_slug, org_id, usage_date, row_kind, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today,
            pipelines_run_month, concurrent_pipelines_running, daily_limit, last_updated, created_at)
          SELECT @lock_id, @org, @org_id, @control, 'LOCK', 0, 0, 0, 0, 0, 0, @now, @now
          FROM (SELECT 1 AS one) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T(wh)} WHERE ${TENANT} AND usage_date = @control AND usage_id = @lock_id)`,
    params: { lock_id: lockId(t), org: t.orgSlug, org_id: t.orgId, control: CONTROL_DATE, now },
    types: { control: 'DATE', now: 'TIMESTAMP' },
  });
}

export interface Completion {
  /** The reservation to complete; without it, the org's oldest open reservation of today or yesterday (live leases first). */
  reservationId?: string;
  status: 'SUCCESS' | 'FAILED';
  pipelineLoggingId?: string;
  today: string;
  yesterday: string;
  now: Date;
}

/**
 * The completion: one MERGE that, only while the reservation is still open, marks it completed
 * and counts the outcome on the DAY row of the day it was reserved on (even after midnight), with
 * the concurrent count left as the other live leases. A second completion finds nothing open and
 * changes nothing (returns 0). Two at once both modify the reservation row, so one waits for the other.
 */
export async function completeRun(wh: Warehouse, t: Tenant, c: Completion): Promise<number> {
  const q = T(wh);
  const which = c.reservationId ? 'usage_id = @reservation_id' : 'reservation_date BETWEEN @yesterday AND @today';
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${q} AS T
      USING (
        SELECT k.kind, r.reservation_date,
          CASE WHEN k.kind = 'RESERVATION' THEN r.usage_id ELSE CONCAT('day:', @org_id, ':', CAST(r.reservation_date AS STRING)) END AS usage_id,
          (SELECT COUNT(*) FROM ${q} AS o WHERE o.org_slug = @org AND o.org_id = @org_id AND o.usage_date = @control AND o.row_kind = 'RESERVATION'
             AND o.completed_at IS NULL AND o.lease_expires_at > @now AND o.usage_id <> r.usage_id) AS running_after
        FROM (
          SELECT usage_id, reservation_date FROM ${q}
          WHERE ${TENANT} AND usage_date = @control AND row_kind = 'RESERVATION' AND completed_at IS NULL AND ${which}
          ORDER BY CASE WHEN lease_expires_at > @now THEN 0 ELSE 1 END, created_at, usage_id
          LIMIT 1
        ) AS r
        CROSS JOIN (SELECT 'RESERVATION' AS kind UNION ALL SELECT 'DAY') AS k
      ) AS S
      ON T.usage_id = S.usage_id AND T.org_slug = @org AND T.org_id = @org_id AND (T.usage_date = @control OR T.usage_date = S.reservation_date)
      WHEN MATCHED AND S.kind = 'RESERVATION' THEN
        UPDATE SET completed_at = @now, pipeline_status = @status, pipeline_logging_id = @pipeline_logging_id, last_updated = @now
      WHEN MATCHED AND S.kind = 'DAY' THEN
        UPDATE SET pipelines_succeeded_today = T.pipelines_succeeded_today + @succeeded, pipelines_failed_today = T.pipelines_failed_today + @failed,
          concurrent_pipelines_running = S.running_after, last_pipeline_completed_at = @now, last_updated = @now`,
    params: {
      org: t.orgSlug, org_id: t.orgId, control: CONTROL_DATE, now: c.now, today: c.today, yesterday: c.yesterday,
      reservation_id: c.reservationId ?? null, status: c.status, pipeline_logging_id: c.pipelineLoggingId ?? null,
      succeeded: c.status === 'SUCCESS' ? 1 : 0, failed: c.status === 'FAILED' ? 1 : 0,
    },
    types: { control: 'DATE', today: 'DATE', yesterday: 'DATE', now: 'TIMESTAMP', reservation_id: 'STRING', pipeline_logging_id: 'STRING', succeeded: 'INT64', failed: 'INT64' },
  });
  return affectedRows;
}

export interface UsageState {
  lockPresent: boolean;
  /** DAY rows of the month up to today, by date. */
  days: Map<string, { run: number; succeeded: number; failed: number }>;
  /** Open reservations inside their lease, plus the one asked for whatever its state. */
  reservations: Map<string, { reservation_date: string; pipeline_id: string; lease_expires_at: string; completed_at: string | null; pipeline_status: string | null }>;
}

/** What the admission needs to know and answer, in one read: the LOCK row, the month's DAY rows and the live reservations. */
export async function usageState(wh: Warehouse, t: Tenant, a: { monthStart: string; today: string; now: Date; reservationId?: string }): Promise<UsageState> {
  const rows = await wh.query({
    sql: `SELECT usage_id, row_kind, usage_date, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today,
            reservation_date, pipeline_id, lease_expires_at, completed_at, pipeline_status
          FROM ${T(wh)}
          WHERE ${TENANT} AND (usage_date BETWEEN @month_start AND @today
            OR (usage_date = @control AND (usage_id = @lock_id OR usage_id = @reservation_id
              OR (row_kind = 'RESERVATION' AND completed_at IS NULL AND lease_expires_at > @now))))`,
    params: { org: t.orgSlug, org_id: t.orgId, month_start: a.monthStart, today: a.today, control: CONTROL_DATE, lock_id: lockId(t), reservation_id: a.reservationId ?? null, now: a.now },
    types: { month_start: 'DATE', today: 'DATE', control: 'DATE', reservation_id: 'STRING', now: 'TIMESTAMP' },
  });
  const state: UsageState = { lockPresent: false, days: new Map(), reservations: new Map() };
  for (const r of rows) {
    if (r.usage_date === CONTROL_DATE) {
      if (r.row_kind === 'LOCK') state.lockPresent = true;
      else if (r.row_kind === 'RESERVATION') state.reservations.set(String(r.usage_id), toReservation(r));
      continue;
    }
    const d = String(r.usage_date);
    const prev = state.days.get(d) ?? { run: 0, succeeded: 0, failed: 0 };
    state.days.set(d, { run: prev.run + Number(r.pipelines_run_today ?? 0), succeeded: prev.succeeded + Number(r.pipelines_succeeded_today ?? 0), failed: prev.failed + Number(r.pipelines_failed_today ?? 0) });
  }
  return state;
}

/** One reservation, whatever its state (completion reads it back to tell "already completed" from "unknown"). */
export async function findReservation(wh: Warehouse, t: Tenant, reservationId: string): Promise<UsageState['reservations'] extends Map<string, infer V> ? V | undefined : never> {
  const [r] = await wh.query({
    sql: `SELECT reservation_date, pipeline_id, lease_expires_at, completed_at, pipeline_status FROM ${T(wh)}
          WHERE ${TENANT} AND usage_date = @control AND row_kind = 'RESERVATION' AND usage_id = @id`,
    params: { org: t.orgSlug, org_id: t.orgId, control: CONTROL_DATE, id: reservationId },
    types: { control: 'DATE' },
  });
  return r ? toReservation(r) : undefined;
}

function toReservation(r: Row) {
  return {
    reservation_date: String(r.reservation_date),
    pipeline_id: String(r.pipeline_id),
    lease_expires_at: String(r.lease_expires_at),
    completed_at: (r.completed_at as string | null) ?? null,
    pipeline_status: (r.pipeline_status as string | null) ?? null,
  };
}

/**
 * What the quota route shows, in one read beside the profile and plan: the slug's DAY rows of a
 * date window and its live reservations (the concurrent count: open and inside their lease, as
 * admission counts them), each with its tenant; the caller keeps its own tenant's rows.
 */
export async function quotaRowsOfSlug(wh: Warehouse, orgSlug: string, a: { from: string; to: string; now: Date }): Promise<{ days: Row[]; running: Row[] }> {
  const rows = await wh.query({
    sql: `SELECT org_id, row_kind, usage_date, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today
          FROM ${T(wh)}
          WHERE org_slug = @org AND (usage_date BETWEEN @from AND @to OR (${RUNNING}))`,
    params: { org: orgSlug, from: a.from, to: a.to, control: CONTROL_DATE, now: a.now },
    types: { from: 'DATE', to: 'DATE', control: 'DATE', now: 'TIMESTAMP' },
  });
  return { days: rows.filter((r) => r.usage_date !== CONTROL_DATE), running: rows.filter((r) => r.usage_date === CONTROL_DATE) };
}
