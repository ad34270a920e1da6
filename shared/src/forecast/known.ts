import pl from 'nodejs-polars';
import type { Ctx } from '../context/index.js';
import { convert, type RateUse } from '../costs/analytics/frame.js';
import { findProvider } from '../costs/catalog.js';
import { rateTable } from '../costs/rates/rates.js';
import { addDays } from '../i18n/dates.js';
import { dailyCost } from '../saas/cost.js';
import type { PlanRow } from '../saas/plans/store.js';

/** The cost ledger's ProviderName of a plan's provider (as the daily SaaS job writes it). */
export const ledgerProvider = (p: Pick<PlanRow, 'provider'>): string => findProvider(p.provider)?.name ?? p.provider;

/**
 * Known future cost of SaaS plans, day by day in `currency`: for each plan and day the version
 * in force that day (the highest version whose dates hold it: a renewal at a new price or seat
 * count is a later version), costed by THE SaaS formula (saas/cost.ts: billing cycle, seats,
 * discounts, start and end dates). Nothing is guessed. Cancelled plans cost nothing ahead.
 * Plan currencies convert at the rate in force on `asOf` (future fixings do not exist yet; the
 * cost views carry the newest one forward the same way), through the cost views' conversion.
 */
export async function projectPlans(ctx: Pick<Ctx, 'warehouse' | 'clock'>, plans: readonly PlanRow[], from: string, to: string, currency: string, asOf: string): Promise<{ byDay: Map<string, number>; used: RateUse[]; unconvertible: string[] }> {
  const byDay = new Map<string, number>();
  const live = plans.filter((p) => p.is_enabled && !p.cancelled_at);
  if (!live.length || to < from) return { byDay, used: [], unconvertible: [] };
  const byPlan = new Map<string, PlanRow[]>();
  for (const p of live) byPlan.set(p.plan_id, [...(byPlan.get(p.plan_id) ?? []), p]);
  const currencies = [...new Set(live.map((p) => p.currency))];
  const fx = new Map<string, number | null>();
  let used: RateUse[] = [];
  if (currencies.some((c) => c !== currency)) {
    const rates = await rateTable(ctx);
    const frame = pl.DataFrame([pl.Series('day', currencies.map(() => asOf), pl.Utf8), pl.Series('BillingCurrency', currencies, pl.Utf8)]);
    const c = convert(frame, rates, currency);
    used = c.used;
    for (const r of c.df.toRecords() as { BillingCurrency: string; fx: number | null }[]) fx.set(r.BillingCurrency, r.fx);
  }
  const unconvertible = currencies.filter((c) => c !== currency && (fx.get(c) ?? null) === null);
  for (let day = from; day <= to; day = addDays(day, 1)) {
    let total = 0;
    for (const versions of byPlan.values()) {
      let inForce: PlanRow | undefined;
      for (const v of versions) if (v.start_date <= day && (v.end_date === null || day <= v.end_date) && (!inForce || v.version > inForce.version)) inForce = v;
      if (!inForce) continue;
      const rate = inForce.currency === currency ? 1 : fx.get(inForce.currency);
      if (rate === null || rate === undefined) continue;
      total += Number(dailyCost(inForce, day)) * rate;
    }
    byDay.set(day, total);
  }
  return { byDay, used, unconvertible };
}
