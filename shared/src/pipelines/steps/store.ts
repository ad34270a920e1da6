import type { Tenant } from '../../orgs/identity.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import { pipelineRef } from '../tables.js';

/**
 * The one owner of `org_meta_step_logs` SQL. The pipeline service appends a RUNNING row when a
 * step starts and a final row with the same step_logging_id when it ends; a read keeps one row
 * per step: the final one when it exists, else the RUNNING one (the original hid those).
 */
export interface StepRow {
  step_logging_id: string;
  pipeline_logging_id: string;
  step_name: string;
  step_type: string;
  step_index: number;
  status: string;
  start_time: string;
  end_time: string | null;
  duration_ms: number | null;
  rows_processed: number | null;
  error_message: string | null;
  metadata: unknown;
}

const COLUMNS = 'step_logging_id, pipeline_logging_id, step_name, step_type, step_index, status, start_time, end_time, duration_ms, rows_processed, error_message, metadata';
/** More steps than this in one run is not a pipeline this API shows. */
export const MAX_STEPS = 5000;

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** The run's steps, one row each (final row first, else the RUNNING one), by step_index; partition filter on start_time. */
export async function stepsOfRun(wh: Warehouse, t: Tenant, runId: string, window: { from: Date; to: Date }): Promise<StepRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS} FROM (
            SELECT ${COLUMNS}, ROW_NUMBER() OVER (PARTITION BY step_logging_id
                     ORDER BY CASE WHEN status = 'RUNNING' THEN 1 ELSE 0 END, end_time DESC, start_time DESC) AS rn
            FROM ${pipelineRef(wh, 'org_meta_step_logs')}
            WHERE org_slug = @org AND org_id = @org_id AND pipeline_logging_id = @id AND start_time >= @from AND start_time < @to
          ) AS x WHERE rn = 1
          ORDER BY step_index, start_time, step_logging_id LIMIT ${MAX_STEPS}`,
    params: { org: t.orgSlug, org_id: t.orgId, id: runId, from: window.from, to: window.to },
  });
  return rows.map((r: Row) => ({
    step_logging_id: String(r.step_logging_id),
    pipeline_logging_id: String(r.pipeline_logging_id),
    step_name: String(r.step_name),
    step_type: String(r.step_type),
    step_index: Number(r.step_index),
    status: String(r.status),
    start_time: String(r.start_time),
    end_time: (r.end_time as string | null) ?? null,
    duration_ms: num(r.duration_ms),
    rows_processed: num(r.rows_processed),
    error_message: (r.error_message as string | null) ?? null,
    metadata: r.metadata ?? null,
  }));
}

export async function deleteSeededSteps(wh: Warehouse, t: Tenant, window: { from: Date; to: Date }, prefix: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${pipelineRef(wh, 'org_meta_step_logs')} WHERE org_slug = @org AND org_id = @org_id AND start_time >= @from AND start_time < @to AND STARTS_WITH(pipeline_logging_id, @prefix)`,
    params: { org: t.orgSlug, org_id: t.orgId, from: window.from, to: window.to, prefix },
  });
  return affectedRows;
}
