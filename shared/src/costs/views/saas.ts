import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { runRates } from '../../saas/cost.js';
import { listPlans, type PlanRow } from '../../saas/plans/store.js';
import { envelope } from '../analytics/envelope.js';
import { convert, localDays, unconverted } from '../analytics/frame.js';
import { addDays, daysBetween, startOfLocalDay } from '../../i18n/dates.js';
import { localIso } from '../analytics/zone.js';
import { apportion, decimalsOf, roundMoney } from '../analytics/money.js';
import { daysInMonth, daysInYear, periodEnd } from '../analytics/periods.js';
import { releaseFrames } from '../analytics/release.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { findProvider } from '../catalog.js';
import { reduceSaas } from '../ledger/store.js';
import { COST_LIMITS } from '../limits.js';
import { reduceSpans } from '../analytics/load.js';
import { rateTable } from '../rates/rates.js';

type Cell = { day: string; subscription_id: string | null; provider_name: string | null; service_name: string | null; plan_name: string | null; display_name: string | null; service_category: string | null; BillingCurrency: string; seats: number | null; cost: number; billed_cost: number; records: number };

/**
 * GET /costs/{org}/saas-subscriptions (also /subscriptions): the ledger's SaaS rows per
 * subscription, with run-rates from THE SaaS formula (saas/cost.ts `runRates` of the org's plan
 * version the row names, converted at today's rate), so a plan shows the same monthly cost here
 * as in the subscriptions function. A subscription the plans table does not know (a plan since
 * deleted, rows from elsewhere) gets run-rates from its latest daily cost: × the days of that
 * month, × the days of that year (`run_rate_source: 'ledger'`).
 *
 * Summary: `total_daily_cost` is the SaaS cost of the latest local day with rows, not after
 * today (`daily_cost_date`); month and year to date are the org's local calendar up to today;
 * forecast_monthly_cost = mtd_cost + total_daily_cost × the month's days after today, and
 * forecast_annual_cost = ytd_cost + total_daily_cost × the year's days after today.
 */
export async function getSaasCosts(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'saas', null, async () => {
    const started = performance.now();
    const yearStart = `${scope.today.slice(0, 4)}-01-01`;
    // The period and the year to date (month to date is inside it): bounded spans, in parallel.
    const [rates, plans, reduced] = await Promise.all([
      rateTable(ctx),
      listPlans(ctx.warehouse, scope.datasetId).catch((): PlanRow[] => []),
      reduceSpans(scope, [[scope.start, scope.end], [yearStart, scope.today]], (s, win) => reduceSaas(ctx.warehouse, s, win, COST_LIMITS.reducedRows)),
    ]);
    const local = localDays(reduced).withColumns(pl.col('BillingCurrency').fillNull(scope.currency));
    const converted = convert(local, rates, scope.currency);
    // Rows in a currency without any rate are left out and listed (as every view does).
    const { df, missing } = unconverted(converted.df, scope.currency, scope.start, scope.end);
    const report = { used: converted.used, missing };
    const money = df.withColumns(pl.col('effective').mul(pl.col('fx')).fillNull(0).alias('cost'), pl.col('billed').mul(pl.col('fx')).fillNull(0).alias('billed_cost'));
    const cells = (money.height ? money.select('day', 'subscription_id', 'provider_name', 'service_name', 'plan_name', 'display_name', 'service_category', 'BillingCurrency', 'seats', 'cost', 'billed_cost', pl.col('records').cast(pl.Float64)).toRecords() : []) as unknown as Cell[];
    releaseFrames(local, converted.df, df, money);

    const d = decimalsOf(scope.currency);
    const upToToday = cells.filter((c) => c.day <= scope.today);
    const dailyDate = upToToday.reduce<string | null>((m, c) => (m === null || c.day > m ? c.day : m), null);
    const inPeriod = cells.filter((c) => c.day >= scope.start && c.day <= scope.end);
    const sum = (xs: Cell[]) => xs.reduce((a, c) => a + c.cost, 0);
    const versions = new Map(plans.map((p) => [p.subscription_id, p]));
    const toReporting = (amount: string, currency: string) => {
      if (currency === scope.currency) return Number(amount);
      return Number(amount) * (rates.lookup(scope.currency, scope.today).unitsPerEur / rates.lookup(currency, scope.today).unitsPerEur);
    };

    const subs = new Map<string, Cell[]>();
    for (const c of cells) {
      const k = c.subscription_id ?? `${c.provider_name}|${c.plan_name}`;
      const list = subs.get(k);
      if (list) list.push(c);
      else subs.set(k, [c]);
    }
    const everySub = [...subs].map(([id, all]) => {
      const latest = all.reduce((m, c) => (c.day > m.day ? c : m));
      const period = all.filter((c) => c.day >= scope.start && c.day <= scope.end);
      const plan = versions.get(id);
      const latestCost = sum(all.filter((c) => c.day === latest.day));
      // A plan in a currency without any rate falls back to the ledger's run-rate.
      const rate = plan && (plan.currency === scope.currency || rates.has(plan.currency)) ? runRates(plan) : null;
      return {
        id, latest, plan, byPlan: rate !== null, cost: sum(period), billed: period.reduce((a, c) => a + c.billed_cost, 0), records: period.reduce((a, c) => a + c.records, 0),
        daily: dailyDate ? sum(all.filter((c) => c.day === dailyDate)) : 0,
        active: dailyDate !== null && all.some((c) => c.day === dailyDate),
        monthly: rate ? toReporting(rate.monthly, plan!.currency) : latestCost * daysInMonth(latest.day),
        annual: rate ? toReporting(rate.annual, plan!.currency) : latestCost * daysInYear(latest.day),
        first: period[0] ? period.reduce((m, c) => (c.day < m ? c.day : m), period[0].day) : null,
        last: period[0] ? period.reduce((m, c) => (c.day > m ? c.day : m), period[0].day) : null,
      };
    });
    const rows = everySub.filter((r) => r.records > 0).sort((a, b) => b.cost - a.cost || (a.id < b.id ? -1 : 1));

    const at = (day: string) => localIso(day, startOfLocalDay(day, scope.timeZone).getTime(), scope.timeZone);
    const grand = sum(inPeriod);
    const parts = apportion(rows.map((r) => r.cost), d, grand).parts;
    const data = rows.map((r, i) => ({
      SubscriptionId: r.id,
      Provider: r.plan?.provider ?? findProvider(r.latest.provider_name ?? '')?.slug ?? (r.latest.provider_name ?? 'unknown').toLowerCase(),
      ProviderName: r.latest.provider_name ?? 'Unknown',
      ServiceName: r.latest.service_name, PlanName: r.latest.plan_name, DisplayName: r.latest.display_name,
      BillingCurrency: r.latest.BillingCurrency, Seats: r.latest.seats,
      BillingCycle: r.plan?.billing_cycle ?? null,
      EffectiveCost: parts[i]!, BilledCost: roundMoney(r.billed, d),
      DailyCost: roundMoney(r.daily, d),
      MonthlyRunRate: roundMoney(r.monthly, d), AnnualRunRate: roundMoney(r.annual, d),
      run_rate_source: r.byPlan ? 'plan' as const : 'ledger' as const,
      is_active: r.active,
      first_day: r.first, last_day: r.last, record_count: r.records,
      ServiceCategory: r.latest.service_category ?? 'Business Applications',
      ChargePeriodStart: r.first ? at(r.first) : null, ChargePeriodEnd: r.last ? at(addDays(r.last, 1)) : null,
    }));
    const monthStart = `${scope.today.slice(0, 7)}-01`;
    const mtd = sum(cells.filter((c) => c.day >= monthStart && c.day <= scope.today));
    const ytd = sum(cells.filter((c) => c.day >= yearStart && c.day <= scope.today));
    const daily = dailyDate ? sum(upToToday.filter((c) => c.day === dailyDate)) : 0;
    const monthLeft = daysBetween(scope.today, periodEnd(monthStart, 'monthly'));
    const yearLeft = daysBetween(scope.today, `${scope.today.slice(0, 4)}-12-31`);
    return envelope(scope, started, report, data, {
      total_cost: roundMoney(grand, d),
      subscription_count: data.length,
      total_daily_cost: roundMoney(daily, d),
      daily_cost_date: dailyDate,
      // Run-rates of the subscriptions still paid for (with a row on daily_cost_date).
      total_monthly_cost: roundMoney(everySub.reduce((a, r) => a + (r.active ? r.monthly : 0), 0), d),
      total_annual_cost: roundMoney(everySub.reduce((a, r) => a + (r.active ? r.annual : 0), 0), d),
      mtd_cost: roundMoney(mtd, d),
      ytd_cost: roundMoney(ytd, d),
      forecast_monthly_cost: roundMoney(mtd + daily * monthLeft, d),
      forecast_annual_cost: roundMoney(ytd + daily * yearLeft, d),
      forecast_method: 'to date + total_daily_cost × the local days left after today',
      // What the web app's CostSummary reads.
      total_billed_cost: roundMoney(rows.reduce((a, r) => a + r.billed, 0), d),
      record_count: rows.reduce((a, r) => a + r.records, 0),
      providers: [...new Set(data.map((r) => r.ProviderName))].sort(),
      service_categories: [...new Set(data.map((r) => r.ServiceCategory))].sort(),
      date_range: { start: scope.start, end: scope.end },
    });
  });
}
