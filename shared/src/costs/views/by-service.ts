import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { releaseFrames } from '../analytics/release.js';
import { decimalsOf, period, rankedShares, roundMoney, sumBy } from './breakdowns.js';

const TOP = 100;

/** GET /costs/{org}/by-service: the top 100 services by cost (the rest summed as "other"). */
export async function getCostsByService(ctx: Ctx, q: CostQuery & { costCategory?: 'cloud' | 'llm' | 'saas' }) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'by-service', q.costCategory ?? null, async () => {
    const started = performance.now();
    // The category filter is the warehouse's (x_CostCategory IN ...), so the other categories never travel.
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory'], q.costCategory ? [q.costCategory] : undefined);
    const { cur, grand } = period(df, scope.start, scope.end);
    const rows = sumBy(cur, ['ServiceName', 'ProviderName', 'ServiceCategory'], ['cost', 'billed_cost']).sort((a, b) => b.cost - a.cost);
    releaseFrames(df, cur);
    const top = rows.slice(0, TOP);
    const rest = rows.slice(TOP);
    const other = rest.length ? [{ ServiceName: 'other', ProviderName: null, ServiceCategory: null, cost: rest.reduce((s, r) => s + r.cost, 0), billed_cost: rest.reduce((s, r) => s + r.billed_cost, 0), records: rest.reduce((s, r) => s + r.records, 0) }] : [];
    const d = decimalsOf(scope.currency);
    const data = rankedShares([...top, ...other], scope.currency, grand).map((r) => ({
      service: r.row.ServiceName ?? 'Unknown', service_name: r.row.ServiceName ?? 'Unknown', provider: r.row.ProviderName, service_category: r.row.ServiceCategory,
      total_cost: r.total_cost, total_billed_cost: roundMoney(r.row.billed_cost, d), record_count: r.record_count, percentage: r.percentage,
    }));
    const distinct = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => x !== null))].sort();
    return envelope(scope, started, rates, data, {
      total_cost: roundMoney(grand, d), service_count: rows.length,
      // What the web app's CostSummary reads.
      total_billed_cost: roundMoney(rows.reduce((a, r) => a + r.billed_cost, 0), d),
      record_count: rows.reduce((a, r) => a + r.records, 0),
      providers: distinct(rows.map((r) => r.ProviderName)),
      service_categories: distinct(rows.map((r) => r.ServiceCategory)),
      date_range: { start: scope.start, end: scope.end },
    });
  });
}
