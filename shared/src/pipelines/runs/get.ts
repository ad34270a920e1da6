import type { Ctx } from '../../context/index.js';
import { NotFoundError } from '../../errors.js';
import { tenantOf } from '../../orgs/identity.js';
import { dqOfRun, type DqRow } from '../dq/store.js';
import { stepsOfRun, type StepRow } from '../steps/store.js';
import { lookupWindow } from './window.js';
import { findRun, type RunRow } from './store.js';

/** Statuses of a run that may still write step rows. */
const LIVE = new Set(['RUNNING', 'PENDING', 'STARTED', 'QUEUED']);

/** A step whose final row never came: still running while its run is, lost once the run ended without it. */
export function shownStep(step: StepRow, run: RunRow): StepRow {
  if (step.status !== 'RUNNING' || LIVE.has(run.status)) return step;
  return { ...step, status: 'LOST' };
}

/** A run with its steps and data-quality results: three reads in parallel, each on its partitions. */
export async function getPipelineRun(ctx: Ctx, input: { orgSlug: string; pipelineLoggingId: string }): Promise<RunRow & { steps: StepRow[]; dq_results: DqRow[] }> {
  const tenant = await tenantOf(ctx, input.orgSlug);
  const w = lookupWindow(ctx.clock());
  const [run, steps, dq] = await Promise.all([
    findRun(ctx.warehouse, tenant, input.pipelineLoggingId, w),
    stepsOfRun(ctx.warehouse, tenant, input.pipelineLoggingId, w),
    dqOfRun(ctx.warehouse, tenant, input.pipelineLoggingId, { from: w.fromDay, to: w.toDay }),
  ]);
  if (!run) throw new NotFoundError(`No run '${input.pipelineLoggingId}' for organization '${input.orgSlug}'`, { pipeline_logging_id: input.pipelineLoggingId });
  return { ...run, steps: steps.map((s) => shownStep(s, run)), dq_results: dq };
}

/** A run's steps, one row per step, filtered by the status shown (RUNNING, LOST, SUCCESS ...), paged. */
export async function listRunSteps(ctx: Ctx, input: { orgSlug: string; pipelineLoggingId: string; status_filter?: string; limit: number; offset: number }) {
  const tenant = await tenantOf(ctx, input.orgSlug);
  const w = lookupWindow(ctx.clock());
  const [run, steps] = await Promise.all([
    findRun(ctx.warehouse, tenant, input.pipelineLoggingId, w),
    stepsOfRun(ctx.warehouse, tenant, input.pipelineLoggingId, w),
  ]);
  if (!run) throw new NotFoundError(`No run '${input.pipelineLoggingId}' for organization '${input.orgSlug}'`, { pipeline_logging_id: input.pipelineLoggingId });
  const shown = steps.map((s) => shownStep(s, run)).filter((s) => !input.status_filter || s.status === input.status_filter);
  return { pipeline_logging_id: run.pipeline_logging_id, steps: shown.slice(input.offset, input.offset + input.limit), total: shown.length, limit: input.limit, offset: input.offset };
}

/** A run's data-quality results (org_meta_dq_results). */
export async function listRunDqResults(ctx: Ctx, input: { orgSlug: string; pipelineLoggingId: string }) {
  const tenant = await tenantOf(ctx, input.orgSlug);
  const w = lookupWindow(ctx.clock());
  const [run, dq] = await Promise.all([
    findRun(ctx.warehouse, tenant, input.pipelineLoggingId, w),
    dqOfRun(ctx.warehouse, tenant, input.pipelineLoggingId, { from: w.fromDay, to: w.toDay }),
  ]);
  if (!run) throw new NotFoundError(`No run '${input.pipelineLoggingId}' for organization '${input.orgSlug}'`, { pipeline_logging_id: input.pipelineLoggingId });
  return { pipeline_logging_id: run.pipeline_logging_id, dq_results: dq, total: dq.length };
}
