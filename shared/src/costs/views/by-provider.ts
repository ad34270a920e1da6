import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { releaseFrames } from '../analytics/release.js';
import { decimalsOf, period, rankedShares, roundMoney, sumBy } from './breakdowns.js';

/** GET /costs/{org}/by-provider: cost per ProviderName, largest first; parts add up to the total. */
export async function getCostsByProvider(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'by-provider', null, async () => {
    const started = performance.now();
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'x_CostCategory']);
    const { cur, grand } = period(df, scope.start, scope.end);
    const rows = sumBy(cur, ['ProviderName', 'x_CostCategory'], ['cost', 'billed_cost']).sort((a, b) => b.cost - a.cost);
    releaseFrames(df, cur);
    const data = rankedShares(rows, scope.currency, grand).map((r) => ({
      provider: r.row.ProviderName ?? 'Unknown', category: r.row.x_CostCategory ?? 'unknown',
      total_cost: r.total_cost, total_billed_cost: roundMoney(r.row.billed_cost, decimalsOf(scope.currency)), record_count: r.record_count, percentage: r.percentage,
    }));
    return envelope(scope, started, rates, data, { total_cost: roundMoney(grand, decimalsOf(scope.currency)), provider_count: data.length });
  });
}
