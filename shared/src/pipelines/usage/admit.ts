import { randomUUID } from 'node:crypto';
import type { Ctx } from '../../context/index.js';
import { addDays, localDate, startOfLocalDay } from '../../i18n/dates.js';
import { activeByProvider } from '../../integrations/credentials/store.js';
import { tenantOf, type Tenant } from '../../orgs/identity.js';
import { findPlan, type PlanView } from '../../orgs/plan/store.js';
import { WarehouseUnavailableError } from '../../warehouse/port.js';
import { leaseSecondsOf, pipelineRegistry, type RegistryPipeline } from '../registry/registry.js';
import { admitRun, insertLock, usageState, type Limits, type UsageState } from './store.js';

export type RefusalCode = 'PIPELINE_NOT_FOUND' | 'PIPELINE_DISABLED' | 'SUBSCRIPTION_INACTIVE' | 'QUOTA_EXCEEDED' | 'INTEGRATION_NOT_CONFIGURED';

export interface QuotaView {
  pipelines_run_today: number;
  pipelines_run_month: number;
  concurrent_pipelines_running: number;
  daily_limit: number;
  monthly_limit: number;
  concurrent_limit: number;
  remaining_today: number;
  remaining_month: number;
}

export interface Validation {
  valid: boolean;
  org_slug: string;
  org_dataset_id: string;
  pipeline_id: string;
  pipeline_config: RegistryPipeline | null;
  subscription: { plan_name: string; status: string; trial_end_date: string | null; subscription_end_date: string | null } | null;
  quota: QuotaView | null;
  reservation_id: string | null;
  reservation_date: string | null;
  lease_expires_at: string | null;
  error?: string;
  error_code?: RefusalCode;
  quota_limit?: 'daily' | 'monthly' | 'concurrent';
  retry_after_seconds?: number;
}

/** The org's local calendar at an instant: what an admission counts on. */
export function orgDays(now: Date, tz: string) {
  const today = localDate(now, tz);
  return { today, yesterday: addDays(today, -1), monthStart: `${today.slice(0, 7)}-01` };
}

/**
 * The pipeline service's admission of one run (POST /api/v1/validator/validate/{org}).
 *
 * Everything that can refuse without counting (unknown or disabled pipeline, inactive plan, no
 * VALID credential of the provider it needs) is read first, in parallel with the usage, so no
 * refusal ever follows a reservation. Then ONE conditional statement (usage/store.ts admitRun)
 * admits the run and records its reservation, or changes nothing. A warehouse error is thrown
 * (503 with Retry-After), never answered as QUOTA_EXCEEDED.
 */
export async function validatePipelineRun(ctx: Ctx, input: { orgSlug: string; pipelineId: string }): Promise<Validation> {
  const now = ctx.clock();
  const wh = ctx.warehouse;
  const pipeline = pipelineRegistry().byId.get(input.pipelineId);
  const [profile, tenant] = await Promise.all([ctx.profiles.get(input.orgSlug), tenantOf(ctx, input.orgSlug)]);
  const days = orgDays(now, profile.default_timezone);
  const [plan, credentials, state] = await Promise.all([
    findPlan(wh, input.orgSlug),
    pipeline?.required_integration ? activeByProvider(wh, tenant) : Promise.resolve(undefined),
    usageState(wh, tenant, { ...days, now }),
  ]);
  const base: Validation = {
    valid: false, org_slug: input.orgSlug, org_dataset_id: profile.org_dataset_id, pipeline_id: input.pipelineId, pipeline_config: pipeline ?? null,
    subscription: plan ? { plan_name: plan.plan_name, status: plan.status, trial_end_date: plan.trial_end_date ?? null, subscription_end_date: plan.subscription_end_date ?? null } : null,
    quota: plan ? quotaOf(state, plan, days.today, now) : null, reservation_id: null, reservation_date: null, lease_expires_at: null,
  };
  const refuse = (error_code: RefusalCode, error: string, extra: Partial<Validation> = {}): Validation => ({ ...base, error, error_code, ...extra });

  if (!pipeline) return refuse('PIPELINE_NOT_FOUND', `Pipeline '${input.pipelineId}' is not in the registry`);
  if (!pipeline.enabled) return refuse('PIPELINE_DISABLED', `Pipeline '${input.pipelineId}' is disabled`);
  if (!plan) return refuse('SUBSCRIPTION_INACTIVE', 'The organization has no subscription');
  const inactive = subscriptionProblem(plan, days.today);
  if (inactive) return refuse('SUBSCRIPTION_INACTIVE', inactive);
  if (pipeline.required_integration) {
    const cred = credentials?.get(pipeline.required_integration);
    if (!cred || cred.validation_status !== 'VALID') {
      return refuse('INTEGRATION_NOT_CONFIGURED', cred
        ? `The ${pipeline.required_integration} credential is ${cred.validation_status}, not VALID: validate it again`
        : `No active ${pipeline.required_integration} credential: set up the integration first`);
    }
  }

  if (!state.lockPresent) await insertLock(wh, tenant, now);
  const reservationId = randomUUID();
  const leaseExpiresAt = new Date(now.getTime() + leaseSecondsOf(pipeline) * 1000);
  const limits: Limits = { daily: plan.daily_limit, monthly: plan.monthly_limit, concurrent: plan.concurrent_limit };
  const admitted = await admitOrReadBack(ctx, tenant, { reservationId, pipelineId: pipeline.id, today: days.today, monthStart: days.monthStart, leaseExpiresAt, limits, now });
  const after = await usageState(wh, tenant, { ...days, now, reservationId });
  const quota = quotaOf(after, plan, days.today, now);
  if (admitted) {
    return { ...base, valid: true, quota, reservation_id: reservationId, reservation_date: days.today, lease_expires_at: leaseExpiresAt.toISOString() };
  }
  const { limit, seconds } = whichLimit(after, quota, profile.default_timezone, days.today, now);
  return refuse('QUOTA_EXCEEDED', `The plan's ${limit} limit is reached (${limit === 'daily' ? quota.daily_limit : limit === 'monthly' ? quota.monthly_limit : quota.concurrent_limit})`, {
    quota, quota_limit: limit, retry_after_seconds: seconds,
  });
}

/**
 * The admission statement. Its answer lost ('after' fault, timeout) is not a refusal: the
 * reservation row tells whether it committed; if it cannot be read either, the error stands and
 * a committed reservation is freed by its lease.
 */
async function admitOrReadBack(ctx: Ctx, tenant: Tenant, a: Parameters<typeof admitRun>[2]): Promise<boolean> {
  try {
    return (await admitRun(ctx.warehouse, tenant, a)) > 0;
  } catch (err) {
    if (!(err instanceof WarehouseUnavailableError)) throw err;
    const state = await usageState(ctx.warehouse, tenant, { monthStart: a.monthStart, today: a.today, now: a.now, reservationId: a.reservationId }).catch(() => undefined);
    if (state?.reservations.has(a.reservationId)) return true;
    throw err;
  }
}

function subscriptionProblem(plan: PlanView, today: string): string | undefined {
  if (plan.status !== 'ACTIVE' && plan.status !== 'TRIAL') return `The subscription is ${plan.status}`;
  if (plan.status === 'TRIAL' && plan.trial_end_date && plan.trial_end_date < today) return `The trial ended on ${plan.trial_end_date}`;
  if (plan.subscription_end_date && plan.subscription_end_date < today) return `The subscription ended on ${plan.subscription_end_date}`;
  return undefined;
}

export function quotaOf(state: UsageState, plan: Pick<PlanView, 'daily_limit' | 'monthly_limit' | 'concurrent_limit'>, today: string, now: Date): QuotaView {
  const runToday = state.days.get(today)?.run ?? 0;
  let runMonth = 0;
  for (const d of state.days.values()) runMonth += d.run;
  const running = [...state.reservations.values()].filter((r) => r.completed_at === null && Date.parse(r.lease_expires_at) > now.getTime()).length;
  return {
    pipelines_run_today: runToday,
    pipelines_run_month: runMonth,
    concurrent_pipelines_running: running,
    daily_limit: plan.daily_limit,
    monthly_limit: plan.monthly_limit,
    concurrent_limit: plan.concurrent_limit,
    remaining_today: Math.max(0, plan.daily_limit - runToday),
    remaining_month: Math.max(0, plan.monthly_limit - runMonth),
  };
}

/** Which limit refused, and when trying again can help: the org's next local midnight, month start, or the next lease to end. */
function whichLimit(state: UsageState, q: QuotaView, tz: string, today: string, now: Date): { limit: 'daily' | 'monthly' | 'concurrent'; seconds: number } {
  const until = (t: Date | number) => Math.max(1, Math.ceil((Number(t) - now.getTime()) / 1000));
  if (q.pipelines_run_month >= q.monthly_limit) {
    const [y, m] = today.split('-').map(Number) as [number, number];
    return { limit: 'monthly', seconds: until(startOfLocalDay(new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10), tz)) };
  }
  if (q.pipelines_run_today >= q.daily_limit) return { limit: 'daily', seconds: until(startOfLocalDay(addDays(today, 1), tz)) };
  const leases = [...state.reservations.values()].filter((r) => r.completed_at === null).map((r) => Date.parse(r.lease_expires_at));
  // A slot freed between the statement and this read: trying again at once may succeed.
  return { limit: 'concurrent', seconds: leases.length ? until(Math.min(...leases)) : 1 };
}
