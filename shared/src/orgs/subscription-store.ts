import type { Warehouse } from '../warehouse/port.js';
import type { PlanLimits, PlanName } from './plans.js';
import { ref } from './tables.js';

export type SubscriptionStatus = 'ACTIVE' | 'TRIAL' | 'SUSPENDED' | 'CANCELLED';

/** One subscription row per org, written by MERGE so a repeated onboarding step cannot duplicate it. */
export async function upsertSubscription(wh: Warehouse, s: { subscriptionId: string; orgSlug: string; plan: PlanName; status: SubscriptionStatus; limits: PlanLimits; now: Date }): Promise<void> {
  const cols = ['subscription_id', 'plan_name', 'status', 'daily_limit', 'monthly_limit', 'concurrent_limit', 'seat_limit', 'providers_limit', 'max_pipelines_per_day', 'created_at', 'updated_at'];
  await wh.execute({
    sql: `MERGE INTO ${ref(wh, 'org_subscriptions')} AS T
      USING (SELECT @org_slug AS org_slug) AS S
      ON T.org_slug = S.org_slug
      WHEN MATCHED THEN UPDATE SET ${cols.map((c) => `${c} = @${c}`).join(', ')}, trial_end_date = NULL, subscription_end_date = NULL
      WHEN NOT MATCHED THEN INSERT (org_slug, ${cols.join(', ')}) VALUES (@org_slug, ${cols.map((c) => `@${c}`).join(', ')})`,
    params: {
      org_slug: s.orgSlug,
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
