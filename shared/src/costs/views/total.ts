import type { Ctx } from '../../context/index.js';
import { COST_CATEGORIES } from '../catalog.js';
import { envelope } from '../analytics/envelope.js';
import { daysBetweenFilter, loadReduced } from '../analytics/load.js';
import { releaseFrames } from '../analytics/release.js';
import { apportion } from '../analytics/money.js';
import { daysInMonth, daysInYear } from '../analytics/periods.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { daysBetween } from '../../i18n/dates.js';
import { decimalsOf, period, roundMoney, sumBy } from './breakdowns.js';

/**
 * GET /costs/{org}/total: the period's cost split into saas, cloud and llm (x_CostCategory),
 * each part rounded so the three add up to `total`. Rows without a category count in the total
 * only (none are written by the pipelines; `uncategorized` shows them if any are).
 *
 * The later web app names the parts `subscription`, `cloud`, `genai` and sums their
 * `total_billed_cost` per period (its 12-period view): both sets are answered, the same objects.
 * Each part also has the original's run rates, from the category's month to date of the org's
 * local month (whatever the range): total_daily_cost = mtd_cost / local days elapsed (today
 * included), total_monthly_cost = × days in the month, total_annual_cost = × days in the year.
 * The month to date is a second reduction run beside the period's when the range does not hold it.
 */
export async function getCostTotal(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'total', null, async () => {
    const started = performance.now();
    const monthStart = `${scope.today.slice(0, 7)}-01`;
    const holdsMtd = scope.start <= monthStart && scope.end >= scope.today;
    const [main, month] = await Promise.all([
      loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'x_CostCategory']),
      holdsMtd ? undefined : loadReduced(ctx, scope, monthStart, scope.today, ['x_CostCategory']),
    ]);
    const { df, rates } = main;
    const { cur, grand } = period(df, scope.start, scope.end);
    const mtdFrame = daysBetweenFilter(month?.df ?? df, monthStart, scope.today);
    const byCategoryProvider = sumBy(cur, ['x_CostCategory', 'ProviderName'], ['cost', 'billed_cost']);
    const mtdByCategory = sumBy(mtdFrame, ['x_CostCategory']);
    releaseFrames(df, cur, mtdFrame, month?.df);
    const d = decimalsOf(scope.currency);
    const names = [...COST_CATEGORIES, 'uncategorized'] as const;
    const known = (c: string | null) => (COST_CATEGORIES as readonly string[]).includes(c ?? '');
    const of = (name: (typeof names)[number]) => (c: string | null) => (name === 'uncategorized' ? !known(c) : c === name);
    const elapsed = daysBetween(monthStart, scope.today) + 1;
    const acc = names.map((name) => {
      const rows = byCategoryProvider.filter((r) => of(name)(r.x_CostCategory));
      const mtd = mtdByCategory.filter((r) => of(name)(r.x_CostCategory)).reduce((a, r) => a + r.cost, 0);
      return {
        name, cost: rows.reduce((a, r) => a + r.cost, 0), billed: rows.reduce((a, r) => a + r.billed_cost, 0),
        records: rows.reduce((a, r) => a + r.records, 0), providers: [...new Set(rows.map((r) => r.ProviderName ?? 'Unknown'))].sort(),
        mtd, daily: mtd / elapsed,
      };
    });
    const rates3 = (daily: number) => ({
      total_daily_cost: roundMoney(daily, d),
      total_monthly_cost: roundMoney(daily * daysInMonth(scope.today), d),
      total_annual_cost: roundMoney(daily * daysInYear(scope.today), d),
    });
    const parts = apportion(acc.map((a) => a.cost), d, grand).parts;
    const part = (name: (typeof names)[number]) => {
      const i = names.indexOf(name);
      const a = acc[i]!;
      return {
        total_cost: parts[i]!, total_billed_cost: roundMoney(a.billed, d), total_effective_cost: parts[i]!, record_count: a.records,
        provider_count: a.providers.length, providers: a.providers,
        percentage: grand === 0 ? 0 : Math.round((a.cost / grand) * 10_000) / 100,
        mtd_cost: roundMoney(a.mtd, d), ...rates3(a.daily),
      };
    };
    const records = acc.reduce((a, x) => a + x.records, 0);
    const saas = part('saas');
    const llm = part('llm');
    const totals = {
      saas, cloud: part('cloud'), llm, subscription: saas, genai: llm,
      total: {
        total_cost: roundMoney(grand, d), total_billed_cost: roundMoney(acc.reduce((a, x) => a + x.billed, 0), d), record_count: records,
        mtd_cost: roundMoney(acc.reduce((a, x) => a + x.mtd, 0), d), ...rates3(acc.reduce((a, x) => a + x.daily, 0)),
      },
    };
    // The original answered the parts and total at the top level (the web app reads them there);
    // `date_range` and `currency` are the envelope's own.
    return { ...envelope(scope, started, rates, null, acc[3]!.records ? { ...totals, uncategorized: part('uncategorized') } : totals), ...totals };
  });
}
