import type { Tenant } from '../../orgs/identity.js';
import type { ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import { pipelineRef } from '../tables.js';

/**
 * The one owner of `org_meta_pipeline_runs` SQL. The pipeline service writes the rows; this API
 * reads them. Every read filters on the tenant and on `start_time`, the partition column, so a
 * listing scans the days it shows, never the table (the original scanned everything).
 */
export interface RunRow {
  pipeline_logging_id: string;
  pipeline_id: string;
  status: string;
  trigger_type: string | null;
  trigger_by: string | null;
  start_time: string;
  end_time: string | null;
  duration_ms: number | null;
  run_date: string | null;
  error_message: string | null;
  parameters: unknown;
  run_metadata: unknown;
}

const COLUMNS = 'pipeline_logging_id, pipeline_id, status, trigger_type, trigger_by, start_time, end_time, duration_ms, run_date, error_message, parameters, run_metadata';
const TENANT = 'org_slug = @org AND org_id = @org_id';

export function toRun(r: Row): RunRow {
  return {
    pipeline_logging_id: String(r.pipeline_logging_id),
    pipeline_id: String(r.pipeline_id),
    status: String(r.status),
    trigger_type: (r.trigger_type as string | null) ?? null,
    trigger_by: (r.trigger_by as string | null) ?? null,
    start_time: String(r.start_time),
    end_time: (r.end_time as string | null) ?? null,
    duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    run_date: (r.run_date as string | null) ?? null,
    error_message: (r.error_message as string | null) ?? null,
    parameters: r.parameters ?? null,
    run_metadata: r.run_metadata ?? null,
  };
}

export interface RunFilter {
  from: Date;
  /** Exclusive. */
  to: Date;
  status?: string;
  /** Substrings, matched with STRPOS: `%` and `_` are plain characters, never wildcards. */
  pipelineId?: string;
  triggerType?: string;
  triggerBy?: string;
}

function where(t: Tenant, f: RunFilter): { sql: string; params: Record<string, ParamValue> } {
  const parts = [TENANT, 'start_time >= @from AND start_time < @to'];
  const params: Record<string, ParamValue> = { org: t.orgSlug, org_id: t.orgId, from: f.from, to: f.to };
  if (f.status) { parts.push('status = @status'); params.status = f.status; }
  if (f.pipelineId) { parts.push('STRPOS(pipeline_id, @pipeline_id) > 0'); params.pipeline_id = f.pipelineId; }
  if (f.triggerType) { parts.push('trigger_type = @trigger_type'); params.trigger_type = f.triggerType; }
  if (f.triggerBy) { parts.push('STRPOS(trigger_by, @trigger_by) > 0'); params.trigger_by = f.triggerBy; }
  return { sql: parts.join(' AND '), params };
}

/** One page of runs, newest first, and the count of all that match (two reads, run in parallel). */
export async function listRuns(wh: Warehouse, t: Tenant, f: RunFilter, page: { limit: number; offset: number }): Promise<{ runs: RunRow[]; total: number }> {
  const w = where(t, f);
  const table = pipelineRef(wh, 'org_meta_pipeline_runs');
  const [rows, count] = await Promise.all([
    wh.query({ sql: `SELECT ${COLUMNS} FROM ${table} WHERE ${w.sql} ORDER BY start_time DESC, pipeline_logging_id LIMIT @limit OFFSET @offset`, params: { ...w.params, limit: page.limit, offset: page.offset } }),
    wh.query({ sql: `SELECT COUNT(*) AS n FROM ${table} WHERE ${w.sql}`, params: w.params }),
  ]);
  return { runs: rows.map(toRun), total: Number(count[0]?.n ?? 0) };
}

/** One run by id, started inside the window (its partitions). */
export async function findRun(wh: Warehouse, t: Tenant, id: string, window: { from: Date; to: Date }): Promise<RunRow | undefined> {
  const [r] = await wh.query({
    sql: `SELECT ${COLUMNS} FROM ${pipelineRef(wh, 'org_meta_pipeline_runs')} WHERE ${TENANT} AND pipeline_logging_id = @id AND start_time >= @from AND start_time < @to
          ORDER BY start_time DESC LIMIT 1`,
    params: { org: t.orgSlug, org_id: t.orgId, id, from: window.from, to: window.to },
  });
  return r ? toRun(r) : undefined;
}

/** Each pipeline's newest run in the window. */
export async function latestRunPerPipeline(wh: Warehouse, t: Tenant, window: { from: Date; to: Date }): Promise<RunRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS} FROM (
            SELECT ${COLUMNS}, ROW_NUMBER() OVER (PARTITION BY pipeline_id ORDER BY start_time DESC, pipeline_logging_id) AS rn
            FROM ${pipelineRef(wh, 'org_meta_pipeline_runs')} WHERE ${TENANT} AND start_time >= @from AND start_time < @to
          ) AS x WHERE rn = 1`,
    params: { org: t.orgSlug, org_id: t.orgId, from: window.from, to: window.to },
  });
  return rows.map(toRun);
}

/** Runs and successful runs per pipeline started in [from, to) (the org's local day). */
export async function runCountsPerPipeline(wh: Warehouse, t: Tenant, window: { from: Date; to: Date }): Promise<Map<string, { runs: number; succeeded: number }>> {
  const rows = await wh.query({
    sql: `SELECT pipeline_id, COUNT(*) AS runs, SUM(CASE WHEN status IN ('SUCCESS', 'COMPLETED') THEN 1 ELSE 0 END) AS succeeded
          FROM ${pipelineRef(wh, 'org_meta_pipeline_runs')} WHERE ${TENANT} AND start_time >= @from AND start_time < @to GROUP BY pipeline_id`,
    params: { org: t.orgSlug, org_id: t.orgId, from: window.from, to: window.to },
  });
  return new Map(rows.map((r) => [String(r.pipeline_id), { runs: Number(r.runs), succeeded: Number(r.succeeded ?? 0) }]));
}

/** Seeded rows are recognisable by their id prefix; a rerun of the seed removes its own earlier rows (seed/seed.ts). */
export const SEED_PREFIX = 'seed-';

export async function deleteSeededRuns(wh: Warehouse, t: Tenant, window: { from: Date; to: Date }): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${pipelineRef(wh, 'org_meta_pipeline_runs')} WHERE ${TENANT} AND start_time >= @from AND start_time < @to AND STARTS_WITH(pipeline_logging_id, @prefix)`,
    params: { org: t.orgSlug, org_id: t.orgId, from: window.from, to: window.to, prefix: SEED_PREFIX },
  });
  return affectedRows;
}
