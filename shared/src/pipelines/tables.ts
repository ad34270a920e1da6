import type { TableSpec, Warehouse } from '../warehouse/port.js';
import { centralTables } from '../warehouse/schemas.js';
import { CENTRAL } from '../orgs/tables.js';

/** The central tables the pipelines write and this API reads (orgs/tables.ts lists the org tables it owns). */
export type PipelineTable = 'org_usage_quotas' | 'org_meta_pipeline_runs' | 'org_meta_step_logs' | 'org_meta_dq_results';

export function pipelineSpec(name: PipelineTable): TableSpec {
  const spec = centralTables().tables.find((t) => t.name === name);
  if (!spec) throw new Error(`No central table ${name}`);
  return spec;
}

export function pipelineRef(wh: Warehouse, name: PipelineTable): string {
  return wh.table(CENTRAL, name);
}

export function columnsOfPipelineTable(name: PipelineTable, except: readonly string[] = []): string[] {
  return pipelineSpec(name).fields.map((f) => f.name).filter((n) => !except.includes(n));
}
