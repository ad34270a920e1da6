import pl from 'nodejs-polars';
import type { Ctx } from '../context/index.js';
import { dayWindow, loadReduced } from '../costs/analytics/load.js';
import { convert, readColumnar, unconverted, type RatesReport } from '../costs/analytics/frame.js';
import { costScope, utcInterval, type Scope } from '../costs/analytics/scope.js';
import { reduceCostsByLocalDay } from '../costs/ledger/store.js';
import { rateTable } from '../costs/rates/rates.js';
import { COST_LIMITS } from '../costs/limits.js';
import { ValidationError } from '../errors.js';

/** What a forecast adds up: money in the scope's currency (EffectiveCost or BilledCost), or tokens. */
export type Measure = 'cost' | 'billed_cost' | 'tokens';

/** One series' daily values (local days) of every measure, e.g. cloud × Google Cloud. */
export interface DailySeries { category: string | null; provider: string | null; measures: Record<Measure, Map<string, number>> }

/**
 * Daily values per series (x_CostCategory × ProviderName) of the scope's local days `from`..`to`
 * in the scope's currency, through the cost views' machinery: money from the warehouse's
 * reduction by local day (the one /trend-granular uses: days × keys travel, not 15-minute
 * buckets, so 7 months of history cost about what /summary's two months do) converted with the
 * recorded rate of each local day by the views' `convert`; tokens (only token budgets ask) from
 * loadReduced, the only reduction that sums them. `keep` drops providers the caller's scope does
 * not hold (a budget matches its provider by name). A few thousand records leave Polars.
 */
export async function loadDailySeries(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, opts: { costCategories?: readonly string[]; keep?: (provider: string | null) => boolean; tokens?: boolean } = {}): Promise<{ series: DailySeries[]; rates: RatesReport }> {
  const { df, rates } = opts.tokens ? await withTokens(ctx, scope, from, to, opts.costCategories) : await byLocalDay(ctx, scope, from, to, opts.costCategories);
  if (df.height === 0) return { series: [], rates };
  const rows = df.groupBy(['day', 'x_CostCategory', 'ProviderName'])
    .agg(pl.col('cost').cast(pl.Float64).sum().alias('cost'), pl.col('billed_cost').cast(pl.Float64).sum().alias('billed_cost'), pl.col('tokens').cast(pl.Float64).sum().alias('tokens'))
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

async function byLocalDay(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, costCategories?: readonly string[]): Promise<{ df: pl.DataFrame; rates: RatesReport }> {
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, from, to);
  const [bytes, table] = await Promise.all([
    reduceCostsByLocalDay(ctx.warehouse, { ...costScope(scope, fromUtc, toUtc), ...(costCategories ? { costCategories } : {}) }, dayWindow(scope.timeZone, from, to), ['ProviderName', 'x_CostCategory'], COST_LIMITS.granularRows),
    rateTable(ctx),
  ]);
  const reduced = readColumnar(bytes);
  if (reduced.height > COST_LIMITS.granularRows) {
    // Asked for one more row than the bound: the history holds more keys than a forecast may read.
    const message = `The forecast's history (local days × providers × categories × billing currencies) is over ${COST_LIMITS.granularRows} rows; filter by providers or service_categories`;
    throw new ValidationError(message, { providers: [message] });
  }
  const local = reduced.withColumns(
    pl.col('local_day').cast(pl.Int32).cast(pl.Date).dt.strftime('%Y-%m-%d').alias('day'),
    pl.col('BillingCurrency').fillNull(scope.currency),
  );
  const converted = convert(local, table, scope.currency);
  const { df, missing } = unconverted(converted.df, scope.currency, from, to);
  const money = df.height ? df.withColumns(
    pl.col('effective').mul(pl.col('fx')).fillNull(0).alias('cost'),
    pl.col('billed').mul(pl.col('fx')).fillNull(0).alias('billed_cost'),
    pl.lit(0).cast(pl.Float64).alias('tokens'),
  ) : df;
  return { df: money, rates: { used: converted.used, missing } };
}

async function withTokens(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, costCategories?: readonly string[]): Promise<{ df: pl.DataFrame; rates: RatesReport }> {
  const { df, rates } = await loadReduced(ctx, { ...scope, start: from, end: to }, from, to, ['ProviderName', 'x_CostCategory'], costCategories);
  const tokens = pl.col('input_tokens').cast(pl.Float64).fillNull(0).add(pl.col('output_tokens').cast(pl.Float64).fillNull(0));
  return { df: df.height ? df.withColumns(tokens.alias('tokens')) : df, rates };
}
