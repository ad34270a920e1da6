import { NotFoundError } from '../../errors.js';
import type { Warehouse } from '../../warehouse/port.js';
import { columnsOf, ref } from '../tables.js';
import type { PlanLimits, PlanName } from './limits.js';

/**
 * The one owner of `org_subscriptions` SQL: the org's own CloudAct plan (plan name, limits and
 * billing status). Called "plan" in code so it cannot be confused with the SaaS subscriptions
 * the `subscriptions` function is about; the table and the URL `/organizations/{org}/subscription`
 * keep their names because the pipelines and the web app use them.
 */
export type BillingStatus = 'ACTIVE' | 'TRIAL' | 'SUSPENDED' | 'CANCELLED';

export interface PlanView {
  subscription_id: string;
  plan_name: string;
  status: string;
  daily_limit: number;
  monthly_limit: number;
  concurrent_limit: number;
  seat_limit: number | null;
  providers_limit: number | null;
  trial_end_date: string | null;
  subscription_end_date: string | null;
  created_at: string;
  updated_at: string | null;
}

let planColumns: string[] | undefined;
// Read from the schema file on first use, not at module load: a cold start that runs no query reads none.
export const PLAN_COLUMNS = (): string[] => (planColumns ??= columnsOf('org_subscriptions', ['org_slug', 'org_id', 'max_pipelines_per_day']));

/**
 * One plan row per slug, written by MERGE so a repeated onboarding step cannot duplicate it. A
 * new tenant's onboarding overwrites the row of the slug's earlier life whole (org_id included).
 */
export async function upsertPlan(wh: Warehouse, s: { subscriptionId: string; orgSlug: string; orgId: string; plan: PlanName; status: BillingStatus; limits: PlanLimits; now: Date }): Promise<void> {
  const cols = ['org_id', 'subscription_id', 'plan_name', 'status', 'daily_limit', 'monthly_limit', 'concurrent_limit', 'seat_limit', 'providers_limit', 'max_pipelines_per_day', 'created_at', 'updated_at'];
  await wh.execute({
    sql: `MERGE INTO ${ref(wh, 'org_subscriptions')} AS T
      USING (SELECT @org_slug AS org_slug) AS S
      ON T.org_slug = S.org_slug
      WHEN MATCHED THEN UPDATE SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, trial_end_date = NULL, subscription_end_date = NULL
      WHEN NOT MATCHED THEN INSERT (org_slug, ${cols.join(', ')}) VALUES (@org_slug, ${cols.map((c) => `@${c}`).join(', ')})`,
    params: {
      org_slug: s.orgSlug,
      org_id: s.orgId,
      subscription_id: s.subscriptionId,
      plan_name: s.plan,
      status: s.status,
      daily_limit: s.limits.daily_limit,
      monthly_limit: s.limits.monthly_limit,
      concurrent_limit: s.limits.concurrent_limit,
      seat_limit: s.limits.seat_limit,
      providers_limit: s.limits.providers_limit,
      max_pipelines_per_day: s.limits.daily_limit,
      created_at: s.now,
      updated_at: s.now,
    },
  });
}

export async function findPlan(wh: Warehouse, orgSlug: string): Promise<PlanView | undefined> {
  const [row] = await wh.query({ sql: `SELECT ${PLAN_COLUMNS().join(', ')} FROM ${ref(wh, 'org_subscriptions')} WHERE org_slug = @org`, params: { org: orgSlug } });
  return row as unknown as PlanView | undefined;
}

export async function getPlan(wh: Warehouse, orgSlug: string): Promise<PlanView> {
  const plan = await findPlan(wh, orgSlug);
  if (!plan) throw new NotFoundError(`Organization '${orgSlug}' has no subscription`);
  return plan;
}

export type PlanChange = Pick<PlanView, 'plan_name' | 'status' | 'daily_limit' | 'monthly_limit' | 'concurrent_limit' | 'seat_limit' | 'providers_limit'>;

export async function updatePlanRow(wh: Warehouse, orgSlug: string, after: PlanChange, now: Date): Promise<void> {
  await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET plan_name = @plan_name, status = @status, daily_limit = @daily_limit, monthly_limit = @monthly_limit,
            concurrent_limit = @concurrent_limit, seat_limit = @seat_limit, providers_limit = @providers_limit, max_pipelines_per_day = @daily_limit, updated_at = @now
          WHERE org_slug = @org`,
    params: { ...after, now, org: orgSlug },
    types: { seat_limit: 'INT64', providers_limit: 'INT64' },
  });
}

/** A deleted org's plan ends (kept for history). */
export async function cancelPlan(wh: Warehouse, orgSlug: string, now: Date): Promise<void> {
  await wh.execute({ sql: `UPDATE ${ref(wh, 'org_subscriptions')} SET status = 'CANCELLED', updated_at = @now WHERE org_slug = @org AND status != 'CANCELLED'`, params: { now, org: orgSlug } });
}

/** Onboarding rollback: the plan row an undone attempt wrote. */
export async function deletePlan(wh: Warehouse, orgSlug: string): Promise<void> {
  await wh.execute({ sql: `DELETE FROM ${ref(wh, 'org_subscriptions')} WHERE org_slug = @org`, params: { org: orgSlug } });
}
