import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { releaseFrames } from '../analytics/release.js';
import { loadReduced } from '../analytics/load.js';
import { addDays } from '../../i18n/dates.js';
import { apportion, decimalsOf, roundMoney } from '../analytics/money.js';
import { periodEnd, periodStart, type Granularity } from '../analytics/periods.js';
import { resolveScope, WEB_CATEGORIES, type CostQuery, type Scope } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { period, sumBy } from './breakdowns.js';

// The granular trend's own file; exported through this module (shared/package.json lists this one).
export { getCostTrendGranular, GRANULAR_MAX_DAYS } from './trend-granular.js';

/**
 * GET /costs/{org}/trend: cost per local day, ISO week (Monday first) or local month. `days`
 * (the original's parameter) means the last N local days up to `end_date` (default today) when
 * no `start_date` is given. A week or month cut by the range holds only the range's days (its
 * `start_date`/`end_date` say which).
 */
export async function getCostTrend(ctx: Ctx, q: CostQuery & { granularity: Granularity; days?: number; category?: string }) {
  // category= (the web app's genai | cloud | subscription, or ours) is the warehouse's x_CostCategory filter.
  const category = q.category === undefined ? undefined : WEB_CATEGORIES[q.category];
  const base = await resolveScope(ctx, q);
  const scope: Scope = q.days !== undefined && q.start_date === undefined ? await resolveScope(ctx, { ...q, start_date: addDays(base.end, -(q.days - 1)), end_date: base.end }) : base;
  return cachedView(ctx, scope, 'trend', [q.granularity, category ?? null], async () => {
    const started = performance.now();
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['x_CostCategory', 'ProviderName'], category ? [category] : undefined);
    const { cur, grand } = period(df, scope.start, scope.end);
    // Per day and provider: the earlier web app reads each period's providers.
    const byDay = sumBy(cur, ['day', 'ProviderName'], ['cost', 'billed_cost']);
    releaseFrames(df, cur);
    const buckets = new Map<string, { cost: number; billed: number; records: number; providers: Set<string> }>();
    for (const r of byDay) {
      const key = periodStart(r.day!, q.granularity);
      const b = buckets.get(key) ?? { cost: 0, billed: 0, records: 0, providers: new Set<string>() };
      b.cost += r.cost;
      b.billed += r.billed_cost;
      b.records += r.records;
      b.providers.add(r.ProviderName ?? 'Unknown');
      buckets.set(key, b);
    }
    const keys = [...buckets.keys()].sort();
    const d = decimalsOf(scope.currency);
    const parts = apportion(keys.map((k) => buckets.get(k)!.cost), d, grand).parts;
    const data = keys.map((k, i) => {
      const b = buckets.get(k)!;
      const end = periodEnd(k, q.granularity);
      return {
        period: q.granularity === 'monthly' ? k.slice(0, 7) : k,
        date: k,
        start_date: k < scope.start ? scope.start : k,
        end_date: end > scope.end ? scope.end : end,
        total_cost: parts[i]!, total_billed_cost: roundMoney(b.billed, d), record_count: b.records,
        total_effective_cost: parts[i]!, providers: [...b.providers].sort(),
      };
    });
    const totalCost = roundMoney(grand, d);
    return envelope(scope, started, rates, data, {
      granularity: q.granularity, total_cost: totalCost, period_count: data.length,
      average_per_period: data.length ? roundMoney(grand / data.length, d) : 0,
    });
  });
}
