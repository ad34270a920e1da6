import pl from 'nodejs-polars';
import type { Ctx } from '../context/index.js';
import { loadReduced } from '../costs/analytics/load.js';
import type { RatesReport } from '../costs/analytics/frame.js';
import type { Scope } from '../costs/analytics/scope.js';

/** What a forecast adds up: money in the scope's currency (EffectiveCost or BilledCost), or tokens. */
export type Measure = 'cost' | 'billed_cost' | 'tokens';

/** One series' daily values (local days) of every measure, e.g. cloud × Google Cloud. */
export interface DailySeries { category: string | null; provider: string | null; measures: Record<Measure, Map<string, number>> }

/**
 * Daily values per series (x_CostCategory × ProviderName) of the scope's local days `from`..`to`,
 * through the cost views' one reduction (loadReduced: local days and FX with the recorded rates
 * of each day); `keep` drops providers the caller's scope does not hold (a budget matches its
 * provider by name). A few hundred records leave Polars: days × series.
 */
export async function loadDailySeries(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, opts: { costCategories?: readonly string[]; keep?: (provider: string | null) => boolean } = {}): Promise<{ series: DailySeries[]; rates: RatesReport }> {
  const { df, rates } = await loadReduced(ctx, { ...scope, start: from, end: to }, from, to, ['ProviderName', 'x_CostCategory'], opts.costCategories);
  if (df.height === 0) return { series: [], rates };
  const tokens = pl.col('input_tokens').cast(pl.Float64).fillNull(0).add(pl.col('output_tokens').cast(pl.Float64).fillNull(0));
  const rows = df.groupBy(['day', 'x_CostCategory', 'ProviderName'])
    .agg(pl.col('cost').cast(pl.Float64).sum().alias('cost'), pl.col('billed_cost').cast(pl.Float64).sum().alias('billed_cost'), tokens.sum().alias('tokens'))
    .toRecords() as unknown as ({ day: string; x_CostCategory: string | null; ProviderName: string | null } & Record<Measure, number | null>)[];
  const byKey = new Map<string, DailySeries>();
  for (const r of rows) {
    if (r.day < from || r.day > to || (opts.keep && !opts.keep(r.ProviderName))) continue;
    const k = `${r.x_CostCategory}\u0000${r.ProviderName}`;
    let s = byKey.get(k);
    if (!s) byKey.set(k, (s = { category: r.x_CostCategory, provider: r.ProviderName, measures: { cost: new Map(), billed_cost: new Map(), tokens: new Map() } }));
    for (const m of ['cost', 'billed_cost', 'tokens'] as const) s.measures[m].set(r.day, (s.measures[m].get(r.day) ?? 0) + Number(r[m] ?? 0));
  }
  return { series: [...byKey.values()], rates };
}
