import type { Ctx } from '../../context/index.js';
import { addDays, localDate, startOfLocalDay } from '../../i18n/dates.js';
import { tenantOf } from '../../orgs/identity.js';
import { pipelineRegistry } from '../registry/registry.js';
import { latestRunPerPipeline, runCountsPerPipeline, type RunRow } from './store.js';

const DAY = 86_400_000;
/** How far back "last run" looks. */
export const STATUS_DAYS = 90;

/** Per registry pipeline: its last run and whether it ran and succeeded today, in the org's local day. Two reads in parallel. */
export async function pipelineStatus(ctx: Ctx, input: { orgSlug: string }) {
  const now = ctx.clock();
  const [profile, tenant] = await Promise.all([ctx.profiles.get(input.orgSlug), tenantOf(ctx, input.orgSlug)]);
  const tz = profile.default_timezone;
  const today = localDate(now, tz);
  const day = { from: startOfLocalDay(today, tz), to: startOfLocalDay(addDays(today, 1), tz) };
  const [latest, counts] = await Promise.all([
    latestRunPerPipeline(ctx.warehouse, tenant, { from: new Date(now.getTime() - STATUS_DAYS * DAY), to: new Date(now.getTime() + DAY) }),
    runCountsPerPipeline(ctx.warehouse, tenant, day),
  ]);
  const byId = new Map(latest.map((r) => [r.pipeline_id, r]));
  return {
    org_slug: input.orgSlug,
    date: today,
    timezone: tz,
    pipelines: pipelineRegistry().pipelines.map((p) => {
      const last = byId.get(p.id);
      const c = counts.get(p.id);
      const lastRun = last ? (({ run_metadata: _, ...r }: RunRow) => r)(last) : null;
      return {
        pipeline_id: p.id, name: p.name, enabled: p.enabled,
        last_run: lastRun, last_status: last?.status ?? null,
        ran_today: (c?.runs ?? 0) > 0, succeeded_today: (c?.succeeded ?? 0) > 0, runs_today: c?.runs ?? 0,
      };
    }),
  };
}
