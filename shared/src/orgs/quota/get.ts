import type { Ctx } from '../../context/index.js';
import { nextResets } from '../../i18n/index.js';
import { getPlan } from '../plan/store.js';
import { getLiveProfile } from '../profiles/store.js';
import { activeStatusesOfSlug } from '../../integrations/credentials/store.js';
import { quotaRowsOfSlug } from '../../pipelines/usage/store.js';

const DAY = 86_400_000;

/**
 * Today's and this month's pipeline usage against the plan, with reset times in the org's
 * timezone. One round-trip: the usage rows are fetched for a UTC window wide enough for any
 * timezone (partition filter on usage_date), alongside the profile and subscription, and the
 * org's own "today" is picked out afterwards.
 */
export async function getQuota(ctx: Pick<Ctx, 'warehouse' | 'clock'>, input: { orgSlug: string }) {
  const { orgSlug } = input;
  const wh = ctx.warehouse;
  const now = ctx.clock();
  const from = new Date(now.getTime() - 33 * DAY).toISOString().slice(0, 10);
  const to = new Date(now.getTime() + DAY).toISOString().slice(0, 10);
  const [profile, sub, slugUsage, credentials] = await Promise.all([
    getLiveProfile(wh, orgSlug),
    getPlan(wh, orgSlug),
    quotaRowsOfSlug(wh, orgSlug, { from, to, now }),
    activeStatusesOfSlug(wh, orgSlug),
  ]);
  const configuredProviders = credentials.filter((c) => c.org_id === profile.org_id && c.validation_status === 'VALID').length;
  // Only this tenant's rows: a slug's earlier life (deleted, then onboarded again) is another org.
  const usage = slugUsage.days.filter((r) => r.org_id === profile.org_id);
  // Open reservations inside their lease, as admission counts them: a crashed run stops counting when its lease ends.
  const running = slugUsage.running.filter((r) => r.org_id === profile.org_id).length;
  const tz = profile.default_timezone;
  const { today, month, dayResetAt, monthResetAt } = nextResets(now, tz);
  const todayRow = usage.find((r) => r.usage_date === today);
  const monthRows = usage.filter((r) => String(r.usage_date).startsWith(month));
  const usedToday = Number(todayRow?.pipelines_run_today ?? 0);
  const usedMonth = monthRows.reduce((sum, r) => sum + Number(r.pipelines_run_today ?? 0), 0);
  return {
    org_slug: orgSlug,
    plan_name: sub.plan_name,
    timezone: tz,
    date: today,
    daily: { used: usedToday, limit: sub.daily_limit, remaining: Math.max(0, sub.daily_limit - usedToday), reset_at: dayResetAt },
    monthly: { used: usedMonth, limit: sub.monthly_limit, remaining: Math.max(0, sub.monthly_limit - usedMonth), reset_at: monthResetAt },
    concurrent: { running, limit: sub.concurrent_limit },
    succeeded_today: Number(todayRow?.pipelines_succeeded_today ?? 0),
    failed_today: Number(todayRow?.pipelines_failed_today ?? 0),
    // The same numbers under the names the web app's two ages read: the original FastAPI
    // backend's snake_case, and the later camelCase of the quota server action.
    pipelines_run_today: usedToday,
    daily_limit: sub.daily_limit,
    pipelines_run_month: usedMonth,
    monthly_limit: sub.monthly_limit,
    concurrent_pipelines_running: running,
    concurrent_limit: sub.concurrent_limit,
    usage_date: today,
    pipelinesRunToday: usedToday,
    dailyLimit: sub.daily_limit,
    pipelinesRunMonth: usedMonth,
    monthlyLimit: sub.monthly_limit,
    concurrentRunning: running,
    concurrentLimit: sub.concurrent_limit,
    usageDate: today,
    dailyUsagePercent: percent(usedToday, sub.daily_limit),
    monthlyUsagePercent: percent(usedMonth, sub.monthly_limit),
    seatLimit: sub.seat_limit,
    providersLimit: sub.providers_limit,
    /** Providers with an active VALID credential (the later web app's quota card). */
    configuredProvidersCount: configuredProviders,
  };
}

/** Used of limit in percent, two decimals (0 for a zero limit), as the FastAPI backend gave it. */
function percent(used: number, limit: number): number {
  return limit > 0 ? Math.round((used / limit) * 10_000) / 100 : 0;
}
