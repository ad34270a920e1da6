import type { Ctx } from '../../context/index.js';
import { addDays, localDate, startOfLocalDay } from '../../i18n/dates.js';
import { tenantOf } from '../../orgs/identity.js';
import { insertRows, type InsertRow } from '../../warehouse/dml.js';
import { CENTRAL } from '../../orgs/tables.js';
import { deleteSeededDq } from '../dq/store.js';
import { pipelineRegistry, type RegistryPipeline } from '../registry/registry.js';
import { deleteSeededRuns, SEED_PREFIX } from '../runs/store.js';
import { deleteSeededSteps } from '../steps/store.js';
import { pipelineSpec } from '../tables.js';

/**
 * Local data for the pipeline pages: runs, step logs and DQ results as the pipeline service
 * writes them (a RUNNING step row, then the final row with the same step_logging_id), for the
 * org's last `days` local days, each registry pipeline once a day at its scheduled hour, plus
 * a few manual reruns; some runs fail, one failed run lost its last step's final row, and today's
 * last run is still RUNNING. Deterministic for a seed; a rerun replaces what earlier seeds wrote
 * in the range (ids start with `seed-`), never copies. Usage rows (org_usage_quotas) are left to
 * admissions: the seeded runs were never admitted through this API.
 */
export interface SeedPipelinesInput { orgSlug: string; days: number; seed?: number }
export interface SeedPipelinesResult { runs: number; steps: number; step_rows: number; dq_results: number; from: string; to: string; replaced: number }

const STEPS: Record<string, { name: string; type: string }[]> = {
  cost: [{ name: 'extract_billing_export', type: 'bigquery_to_bigquery' }, { name: 'convert_to_focus', type: 'transform' }, { name: 'load_cost_data', type: 'load' }, { name: 'dq_check', type: 'dq' }],
  api: [{ name: 'list_resources', type: 'api_extract' }, { name: 'load_inventory', type: 'load' }],
  usage: [{ name: 'fetch_usage', type: 'api_extract' }, { name: 'price_usage', type: 'transform' }, { name: 'load_cost_data', type: 'load' }, { name: 'dq_check', type: 'dq' }],
  costs: [{ name: 'compute_daily_costs', type: 'transform' }, { name: 'load_cost_data', type: 'load' }, { name: 'dq_check', type: 'dq' }],
};

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

const CHUNK = 100;
async function insertAll(ctx: Pick<Ctx, 'warehouse'>, table: 'org_meta_pipeline_runs' | 'org_meta_step_logs' | 'org_meta_dq_results', rows: InsertRow[]) {
  const spec = pipelineSpec(table);
  const chunks: InsertRow[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));
  for (const c of chunks) await insertRows(ctx.warehouse, CENTRAL, spec, c);
}

export async function seedPipelineRuns(ctx: Pick<Ctx, 'warehouse' | 'clock' | 'profiles' | 'actor'>, input: SeedPipelinesInput): Promise<SeedPipelinesResult> {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 366) throw new Error('days must be 1 to 366');
  const random = rng(input.seed ?? 42);
  const now = ctx.clock();
  const [profile, tenant] = await Promise.all([ctx.profiles.get(input.orgSlug), tenantOf(ctx, input.orgSlug)]);
  const tz = profile.default_timezone;
  const today = localDate(now, tz);
  const first = addDays(today, -(input.days - 1));
  const window = { from: startOfLocalDay(first, tz), to: new Date(now.getTime() + 86_400_000) };
  const prefix = `${SEED_PREFIX}${input.orgSlug}-`;
  const replaced = (await Promise.all([
    deleteSeededRuns(ctx.warehouse, tenant, window),
    deleteSeededSteps(ctx.warehouse, tenant, window, SEED_PREFIX),
    deleteSeededDq(ctx.warehouse, tenant, { from: addDays(first, -1), to: addDays(today, 1) }, SEED_PREFIX),
  ]))[0];

  const base = { org_slug: input.orgSlug, org_id: tenant.orgId };
  const runs: InsertRow[] = [];
  const steps: InsertRow[] = [];
  const dq: InsertRow[] = [];
  let stepCount = 0;
  const pipelines = pipelineRegistry().pipelines.filter((p) => p.enabled);
  for (let d = first; d <= today; d = addDays(d, 1)) {
    const dayStart = startOfLocalDay(d, tz).getTime();
    pipelines.forEach((p, i) => {
      const reruns = random() < 0.1 ? 2 : 1;
      for (let n = 0; n < reruns; n++) {
        const start = new Date(dayStart + (2 + i * 0.25 + n * 3) * 3_600_000 + Math.floor(random() * 600_000));
        if (start > now) continue;
        const id = `${prefix}${d}-${p.id}-${n}`;
        const isLast = d === today && i === pipelines.length - 1 && n === reruns - 1;
        const outcome = isLast && now.getTime() - start.getTime() < p.default_timeout_seconds * 1000 ? 'RUNNING' : random() < 0.12 ? 'FAILED' : 'SUCCESS';
        stepCount += runRows(p, { id, start, outcome, manual: n > 0, day: addDays(d, -1), lostStep: outcome === 'FAILED' && random() < 0.3 }, base, random, runs, steps, dq);
      }
    });
  }
  await insertAll(ctx, 'org_meta_pipeline_runs', runs);
  await insertAll(ctx, 'org_meta_step_logs', steps);
  await insertAll(ctx, 'org_meta_dq_results', dq);
  return { runs: runs.length, steps: stepCount, step_rows: steps.length, dq_results: dq.length, from: first, to: today, replaced };
}

/** One run's rows; returns its number of steps. */
function runRows(p: RegistryPipeline, r: { id: string; start: Date; outcome: 'RUNNING' | 'FAILED' | 'SUCCESS'; manual: boolean; day: string; lostStep: boolean },
  base: { org_slug: string; org_id: string }, random: () => number, runs: InsertRow[], steps: InsertRow[], dq: InsertRow[]): number {
  const defs = STEPS[p.domain] ?? STEPS.costs!;
  const failAt = r.outcome === 'FAILED' ? Math.floor(random() * defs.length) : -1;
  let t = r.start.getTime() + 500;
  let n = 0;
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    const stepId = `${r.id}-s${i}`;
    const stepStart = new Date(t);
    const ms = 2_000 + Math.floor(random() * 60_000);
    const rows = def.type === 'dq' ? null : Math.floor(random() * 50_000);
    steps.push({ ...base, step_logging_id: stepId, pipeline_logging_id: r.id, step_name: def.name, step_type: def.type, step_index: i, status: 'RUNNING', start_time: stepStart, metadata: JSON.stringify({ attempt: 1 }) });
    n++;
    const running = r.outcome === 'RUNNING' && i === defs.length - 1;
    const lost = r.lostStep && i === failAt;
    if (!running && !lost) {
      const failed = i === failAt;
      steps.push({
        ...base, step_logging_id: stepId, pipeline_logging_id: r.id, step_name: def.name, step_type: def.type, step_index: i,
        status: failed ? 'FAILED' : 'SUCCESS', start_time: stepStart, end_time: new Date(t + ms), duration_ms: ms, rows_processed: rows,
        error_message: failed ? `${def.name}: ${p.required_integration ? `${p.required_integration} API returned 429 Too Many Requests` : 'source table not found'}` : null,
        metadata: JSON.stringify({ attempt: 1, rows_written: rows }),
      });
      if (def.type === 'dq' && !failed) {
        const failedN = random() < 0.2 ? 1 : 0;
        dq.push({
          ...base, dq_result_id: `${r.id}-dq`, pipeline_logging_id: r.id, target_table: p.domain === 'api' ? `${p.provider}_inventory` : 'cost_data_standard_1_3',
          dq_config_id: `${p.id}_dq`, executed_at: new Date(t + ms), expectations_passed: 6 - failedN, expectations_failed: failedN,
          failed_expectations: failedN ? JSON.stringify([{ expectation: 'expect_column_values_to_not_be_null', column: 'BilledCost', unexpected_count: 3 }]) : null,
          overall_status: failedN ? 'WARNING' : 'PASS', ingestion_date: r.start.toISOString().slice(0, 10),
        });
      }
    }
    t += ms;
    if (i === failAt || running) break;
  }
  const end = r.outcome === 'RUNNING' ? null : new Date(t);
  runs.push({
    ...base, pipeline_logging_id: r.id, pipeline_id: p.id, status: r.outcome,
    trigger_type: r.manual ? 'manual' : 'scheduled', trigger_by: r.manual ? 'admin@example.com' : 'cloud_scheduler',
    start_time: r.start, end_time: end, duration_ms: end ? end.getTime() - r.start.getTime() : null, run_date: r.day,
    parameters: JSON.stringify({ date: r.day, provider: p.provider, domain: p.domain, pipeline: p.pipeline }),
    run_metadata: JSON.stringify({ pipeline_version: '1.0', steps: defs.length, timeout_seconds: p.default_timeout_seconds }),
    error_message: r.outcome === 'FAILED' ? 'A step failed: see the step logs' : null,
  });
  return n;
}
