import type { Ctx } from '../../context/index.js';
import { listRuns } from '../../pipelines/runs/store.js';
import type { Conditions, Rule } from '../rules/fields.js';
import type { AlertScope } from '../scope.js';
import type { Candidate, Evaluation } from './candidate.js';

const HOUR = 3_600_000;

/**
 * The pipeline runs of the lookback (org_meta_pipeline_runs, the pipelines function's table):
 * a pipeline whose latest `consecutive_failures` runs all FAILED fires once, keyed by its latest
 * failed run (a later failure after a success is a new key).
 */
export async function evaluatePipelines(ctx: Ctx, scope: AlertScope, rule: Rule): Promise<Evaluation> {
  const c = rule.conditions as Conditions<'pipeline_failure'>;
  const now = ctx.clock();
  const { runs } = await listRuns(ctx.warehouse, scope.tenant, { from: new Date(now.getTime() - c.lookback_hours * HOUR), to: new Date(now.getTime() + 60_000), ...(c.pipeline_id ? { pipelineId: c.pipeline_id } : {}) }, { limit: 1000, offset: 0 });
  const byPipeline = new Map<string, typeof runs>();
  for (const r of runs) {
    if (c.pipeline_id && r.pipeline_id !== c.pipeline_id) continue;
    if (r.status === 'RUNNING' || r.status === 'PENDING') continue;
    byPipeline.set(r.pipeline_id, [...(byPipeline.get(r.pipeline_id) ?? []), r]);
  }
  const candidates: Candidate[] = [];
  const observed: Record<string, unknown>[] = [];
  for (const [pipeline, list] of byPipeline) {
    // Newest first (the store's order).
    const latest = list.slice(0, c.consecutive_failures);
    const failing = latest.length === c.consecutive_failures && latest.every((r) => r.status === 'FAILED');
    observed.push({ pipeline_id: pipeline, latest_status: list[0]!.status, failing });
    if (!failing) continue;
    const last = latest[0]!;
    candidates.push({
      dedupe_key: `${rule.rule_id}|run:${last.pipeline_logging_id}`,
      reason: `${pipeline} failed ${c.consecutive_failures === 1 ? '' : `${c.consecutive_failures} times in a row `}(last run ${last.pipeline_logging_id})`,
      title: `${rule.name}: pipeline ${pipeline} failed`,
      text: `Pipeline ${pipeline} failed${c.consecutive_failures > 1 ? ` its last ${c.consecutive_failures} runs` : ''}. Last run ${last.pipeline_logging_id} started ${last.start_time}${last.error_message ? `: ${last.error_message.slice(0, 300)}` : ''}.`,
      data: { pipeline_id: pipeline, pipeline_logging_id: last.pipeline_logging_id, consecutive_failures: c.consecutive_failures, error_message: last.error_message },
    });
  }
  return { candidates, observed: { pipelines: observed, runs_seen: runs.length } };
}
