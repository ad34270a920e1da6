import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { addDays, daysBetween } from '../../i18n/dates.js';
import { tenantOf } from '../../orgs/identity.js';
import { DEFAULT_LIST_DAYS, LOOKUP_DAYS } from './window.js';
import { listRuns, type RunRow } from './store.js';

export interface ListRunsInput {
  orgSlug: string;
  status_filter?: string;
  pipeline_id?: string;
  trigger_type?: string;
  trigger_by?: string;
  start_date?: string;
  end_date?: string;
  limit: number;
  offset: number;
}

type ListedRun = Omit<RunRow, 'run_metadata'>;

/** Runs newest first, in [start_date, end_date] by start_time (UTC days; default the last 30), so a listing scans only those partitions. */
export async function listPipelineRuns(ctx: Ctx, input: ListRunsInput): Promise<{ runs: ListedRun[]; total: number; limit: number; offset: number; start_date: string; end_date: string }> {
  const today = ctx.clock().toISOString().slice(0, 10);
  const end = input.end_date ?? (input.start_date && input.start_date > today ? input.start_date : today);
  const start = input.start_date ?? addDays(end, -(DEFAULT_LIST_DAYS - 1));
  if (start > end) throw new ValidationError('start_date is after end_date', { 'query.start_date': [`start_date ${start} is after end_date ${end}`] });
  if (daysBetween(start, end) >= LOOKUP_DAYS) throw new ValidationError(`At most ${LOOKUP_DAYS} days at once`, { 'query.start_date': [`the range is at most ${LOOKUP_DAYS} days; narrow it`] });
  const tenant = await tenantOf(ctx, input.orgSlug);
  const { runs, total } = await listRuns(ctx.warehouse, tenant, {
    from: new Date(`${start}T00:00:00Z`), to: new Date(`${addDays(end, 1)}T00:00:00Z`),
    ...(input.status_filter ? { status: input.status_filter } : {}),
    ...(input.pipeline_id ? { pipelineId: input.pipeline_id } : {}),
    ...(input.trigger_type ? { triggerType: input.trigger_type } : {}),
    ...(input.trigger_by ? { triggerBy: input.trigger_by } : {}),
  }, { limit: input.limit, offset: input.offset });
  return { runs: runs.map(({ run_metadata: _, ...r }) => r), total, limit: input.limit, offset: input.offset, start_date: start, end_date: end };
}
