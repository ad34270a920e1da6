import type { Tenant } from '../../orgs/identity.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import { pipelineRef } from '../tables.js';

/** The one owner of `org_meta_dq_results` SQL: the data-quality checks a run wrote (no route showed them before). */
export interface DqRow {
  dq_result_id: string;
  pipeline_logging_id: string;
  target_table: string;
  dq_config_id: string;
  executed_at: string;
  expectations_passed: number;
  expectations_failed: number;
  failed_expectations: unknown;
  overall_status: string;
  ingestion_date: string;
}

/** A run's results; `ingestion_date` (the partition column) bounded by the window's days. */
export async function dqOfRun(wh: Warehouse, t: Tenant, runId: string, days: { from: string; to: string }): Promise<DqRow[]> {
  const rows = await wh.query({
    sql: `SELECT dq_result_id, pipeline_logging_id, target_table, dq_config_id, executed_at, expectations_passed, expectations_failed, failed_expectations, overall_status, ingestion_date
          FROM ${pipelineRef(wh, 'org_meta_dq_results')}
          WHERE org_slug = @org AND org_id = @org_id AND pipeline_logging_id = @id AND ingestion_date BETWEEN @from AND @to
          ORDER BY executed_at, target_table, dq_result_id LIMIT 1000`,
    params: { org: t.orgSlug, org_id: t.orgId, id: runId, from: days.from, to: days.to },
    types: { from: 'DATE', to: 'DATE' },
  });
  return rows.map((r: Row) => ({
    dq_result_id: String(r.dq_result_id),
    pipeline_logging_id: String(r.pipeline_logging_id),
    target_table: String(r.target_table),
    dq_config_id: String(r.dq_config_id),
    executed_at: String(r.executed_at),
    expectations_passed: Number(r.expectations_passed),
    expectations_failed: Number(r.expectations_failed),
    failed_expectations: r.failed_expectations ?? null,
    overall_status: String(r.overall_status),
    ingestion_date: String(r.ingestion_date),
  }));
}

export async function deleteSeededDq(wh: Warehouse, t: Tenant, days: { from: string; to: string }, prefix: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${pipelineRef(wh, 'org_meta_dq_results')} WHERE org_slug = @org AND org_id = @org_id AND ingestion_date BETWEEN @from AND @to AND STARTS_WITH(pipeline_logging_id, @prefix)`,
    params: { org: t.orgSlug, org_id: t.orgId, from: days.from, to: days.to, prefix },
    types: { from: 'DATE', to: 'DATE' },
  });
  return affectedRows;
}
