import type { Ctx } from '../../context/index.js';
import { COST_CATEGORIES } from '../catalog.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { releaseFrames } from '../analytics/release.js';
import { apportion } from '../analytics/money.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { decimalsOf, period, roundMoney, sumBy } from './breakdowns.js';

/**
 * GET /costs/{org}/total: the period's cost split into saas, cloud and llm (x_CostCategory),
 * each part rounded so the three add up to `total`. Rows without a category count in the total
 * only (none are written by the pipelines; `uncategorized` shows them if any are).
 */
export async function getCostTotal(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'total', null, async () => {
    const started = performance.now();
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'x_CostCategory']);
    const { cur, grand } = period(df, scope.start, scope.end);
    const byCategoryProvider = sumBy(cur, ['x_CostCategory', 'ProviderName'], ['cost', 'billed_cost']);
    releaseFrames(df, cur);
    const d = decimalsOf(scope.currency);
    const names = [...COST_CATEGORIES, 'uncategorized'] as const;
    const acc = names.map((name) => {
      const rows = byCategoryProvider.filter((r) => (r.x_CostCategory ?? 'uncategorized') === name || (name === 'uncategorized' && !(COST_CATEGORIES as readonly string[]).includes(r.x_CostCategory ?? '')));
      return {
        name, cost: rows.reduce((a, r) => a + r.cost, 0), billed: rows.reduce((a, r) => a + r.billed_cost, 0),
        records: rows.reduce((a, r) => a + r.records, 0), providers: [...new Set(rows.map((r) => r.ProviderName ?? 'Unknown'))].sort(),
      };
    });
    const parts = apportion(acc.map((a) => a.cost), d, grand).parts;
    const part = (name: (typeof names)[number]) => {
      const i = names.indexOf(name);
      return {
        total_cost: parts[i]!, total_billed_cost: roundMoney(acc[i]!.billed, d), record_count: acc[i]!.records,
        provider_count: acc[i]!.providers.length, providers: acc[i]!.providers,
        percentage: grand === 0 ? 0 : Math.round((acc[i]!.cost / grand) * 10_000) / 100,
      };
    };
    const records = acc.reduce((a, x) => a + x.records, 0);
    const totals = {
      saas: part('saas'), cloud: part('cloud'), llm: part('llm'),
      total: { total_cost: roundMoney(grand, d), total_billed_cost: roundMoney(acc.reduce((a, x) => a + x.billed, 0), d), record_count: records },
    };
    // The original answered saas/cloud/llm/total at the top level (the web app reads them there);
    // `date_range` and `currency` are the envelope's own.
    return { ...envelope(scope, started, rates, null, acc[3]!.records ? { ...totals, uncategorized: part('uncategorized') } : totals), ...totals };
  });
}
