import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { reduceCosts, type GroupColumn } from '../ledger/store.js';
import { rateTable } from '../rates/rates.js';
import { convert, localize, readColumnar, unconverted, type RatesReport } from './frame.js';
import { costScope, utcInterval, type Scope } from './scope.js';
import { ValidationError } from '../../errors.js';
import { COST_LIMITS } from '../limits.js';

/**
 * The reduced ledger of local days `from`..`to` in the reporting currency: one warehouse
 * reduction (in parallel with the rates, which are usually cached), then local days and FX in
 * Polars. Adds `cost` (EffectiveCost), `billed_cost` and `list_cost` in `scope.currency`. Rows
 * in a billing currency without any rate are left out (`rates.missing` lists them).
 */
export async function loadReduced(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, dims: readonly GroupColumn[], costCategories?: readonly string[], opts: { consumed?: boolean } = {}): Promise<{ df: pl.DataFrame; rates: RatesReport }> {
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, from, to);
  const [bytes, rates] = await Promise.all([
    reduceCosts(ctx.warehouse, { ...costScope(scope, fromUtc, toUtc), ...(costCategories ? { costCategories } : {}) }, dims, COST_LIMITS.reducedRows, opts),
    rateTable(ctx),
  ]);
  const local = localize(boundedReduction(readColumnar(bytes)), scope.timeZone).withColumns(pl.col('BillingCurrency').fillNull(scope.currency));
  const converted = convert(local, rates, scope.currency);
  // Rows in a currency without any rate leave every total; the response lists them (its own days).
  const { df, missing } = unconverted(converted.df, scope.currency, scope.start, scope.end);
  const money = df.withColumns(
    pl.col('effective').mul(pl.col('fx')).fillNull(0).alias('cost'),
    pl.col('billed').mul(pl.col('fx')).fillNull(0).alias('billed_cost'),
    pl.col('list').mul(pl.col('fx')).fillNull(0).alias('list_cost'),
  );
  return { df: money, rates: { used: converted.used, missing } };
}

/**
 * Refuses a reduction that came back with more rows than a request may hold (it was asked for
 * one more than the bound, so nothing larger ever travelled): 422 naming the range.
 */
export function boundedReduction(df: pl.DataFrame): pl.DataFrame {
  if (df.height <= COST_LIMITS.reducedRows) return df;
  const message = `The range and filters reduce to more than ${COST_LIMITS.reducedRows} rows (15-minute buckets × distinct providers, services and currencies); narrow the range (start_date/end_date) or filter by providers or service_categories`;
  throw new ValidationError(message, { start_date: [message] });
}

/** Rows of local days `from`..`to` (inclusive; YYYY-MM-DD compares as text). */
export function daysBetweenFilter(df: pl.DataFrame, from: string, to: string): pl.DataFrame {
  return df.filter(pl.col('day').gtEq(pl.lit(from)).and(pl.col('day').ltEq(pl.lit(to))));
}

/** Sums by key columns, as plain records (a handful of rows by then). */
export function sumBy<K extends string, C extends string = 'cost'>(df: pl.DataFrame, keys: K[], cols: C[] = ['cost' as C]): (Record<K, string | null> & Record<C | 'records', number>)[] {
  if (df.height === 0) return [];
  const out = df.groupBy(keys).agg(...cols.map((c) => pl.col(c).sum().cast(pl.Float64).alias(c)), pl.col('records').sum().cast(pl.Float64).alias('records'));
  return out.toRecords() as unknown as (Record<K, string | null> & Record<C | 'records', number>)[];
}

export function total(df: pl.DataFrame, col = 'cost'): number {
  if (df.height === 0) return 0;
  return Number(df.select(pl.col(col).sum()).toRecords()[0]![col] ?? 0);
}
