import type { Ctx } from '../../context/index.js';
import { listRuns } from '../../pipelines/runs/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

const HOUR = 3_600_000;

/** Each SUCCESS run of the lookback (org_meta_pipeline_runs) fires once, keyed by the run. */
export async function evaluatePipelineSuccess(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'pipeline_success'>;
  const now = ctx.clock();
  const { runs } = await listRuns(ctx.warehouse, scope.tenant, { from: new Date(now.getTime() - c.lookback_hours * HOUR), to: new Date(now.getTime() + 60_000), ...(c.pipeline_id ? { pipelineId: c.pipeline_id } : {}) }, { limit: 1000, offset: 0 });
  const ok = runs.filter((r) => r.status === 'SUCCESS' && (!c.pipeline_id || r.pipeline_id === c.pipeline_id));
  const candidates: Candidate[] = ok.map((r) => ({
    dedupe_key: `${rule.rule_id}|success:${r.pipeline_logging_id}`,
    reason: `${r.pipeline_id} succeeded (run ${r.pipeline_logging_id})`,
    title: `${rule.name}: pipeline ${r.pipeline_id} succeeded`,
    text: `Pipeline ${r.pipeline_id} succeeded. Run ${r.pipeline_logging_id} started ${r.start_time}${r.end_time ? ` and ended ${r.end_time}` : ''}.`,
    data: { pipeline_id: r.pipeline_id, pipeline_logging_id: r.pipeline_logging_id, start_time: r.start_time, end_time: r.end_time },
  }));
  return { candidates, observed: { runs_seen: runs.length, successful_runs: ok.length } };
}
