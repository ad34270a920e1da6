import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { reduceCostsByLocalDay, SPREAD_LOOKBACK_DAYS, type CostScope, type DayWindow, type GroupColumn } from '../ledger/store.js';
import type { ColumnarResult } from '../../warehouse/port.js';
import { rateTable } from '../rates/rates.js';
import { convert, localDays, readColumnar, unconverted, type RatesReport } from './frame.js';
import { zoneOffsets } from './zone.js';
import { costScope, utcInterval, type Scope } from './scope.js';
import { ValidationError } from '../../errors.js';
import { COST_LIMITS } from '../limits.js';
import { addDays } from '../../i18n/dates.js';

/**
 * The local days `from`..`to` as a reduction's window: the zone's offsets (DST changes included)
 * from the earliest instant the scan reads (the spread lookback) to the day after `to`.
 */
export function dayWindow(timeZone: string, from: string, to: string): DayWindow {
  const { fromUtc, toUtc } = utcInterval(timeZone, from, to);
  return { firstDay: from, lastDay: to, zone: zoneOffsets(timeZone, new Date(fromUtc.getTime() - SPREAD_LOOKBACK_DAYS * 86_400_000), new Date(toUtc.getTime() + 86_400_000)) };
}

/** A span of local days, both ends inclusive (YYYY-MM-DD). */
export type DaySpan = readonly [from: string, to: string];

/**
 * Spans merged where they overlap or touch, in order: no local day is reduced twice, and the gap
 * between two spans (a 2021 range and this month to date) is never scanned at all.
 */
export function mergeSpans(spans: readonly DaySpan[]): DaySpan[] {
  const sorted = [...spans].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: [string, string][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= addDays(last[1], 1)) last[1] = to > last[1] ? to : last[1];
    else out.push([from, to]);
  }
  return out;
}

/**
 * The reduced ledger of local days `from`..`to` in the reporting currency: one warehouse
 * reduction by the org's local day (in parallel with the rates, which are usually cached), then
 * FX in Polars. Adds `cost` (EffectiveCost), `billed_cost` and `list_cost` in `scope.currency`. Rows
 * in a billing currency without any rate are left out (`rates.missing` lists them).
 */
export async function loadReduced(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, from: string, to: string, dims: readonly GroupColumn[], costCategories?: readonly string[], opts: { consumed?: boolean } = {}): Promise<{ df: pl.DataFrame; rates: RatesReport }> {
  return loadSpans(ctx, scope, [[from, to]], dims, costCategories, opts);
}

/**
 * loadReduced over several spans of local days (a range and its previous period, month or year
 * to date): each merged span is its own bounded reduction, all in parallel in one round-trip, so
 * the scan covers exactly the days the answer needs, never what lies between them.
 */
export async function loadSpans(ctx: Pick<Ctx, 'warehouse' | 'clock'>, scope: Scope, spans: readonly DaySpan[], dims: readonly GroupColumn[], costCategories?: readonly string[], opts: { consumed?: boolean } = {}): Promise<{ df: pl.DataFrame; rates: RatesReport }> {
  const [rates, reduced] = await Promise.all([
    rateTable(ctx),
    reduceSpans(scope, spans, (s, win) => reduceCostsByLocalDay(ctx.warehouse, { ...s, ...(costCategories ? { costCategories } : {}) }, win, dims, COST_LIMITS.reducedRows, opts)),
  ]);
  const local = localDays(reduced).withColumns(pl.col('BillingCurrency').fillNull(scope.currency));
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
 * Every merged span of local days reduced by `reduce` (given the span's scope and local-day
 * window), all in parallel, as one frame refused past COST_LIMITS.reducedRows: the one way a
 * view reads several bounded spans (loadSpans, the SaaS view).
 */
export async function reduceSpans(scope: Scope, spans: readonly DaySpan[], reduce: (s: CostScope, win: DayWindow) => Promise<ColumnarResult>): Promise<pl.DataFrame> {
  const parts = await Promise.all(mergeSpans(spans).map(([from, to]) => {
    const { fromUtc, toUtc } = utcInterval(scope.timeZone, from, to);
    return reduce(costScope(scope, fromUtc, toUtc), dayWindow(scope.timeZone, from, to));
  }));
  const frames = parts.map((bytes) => readColumnar(bytes));
  return boundedReduction(frames.length === 1 ? frames[0]! : pl.concat(frames, { how: 'vertical' }));
}

/**
 * Refuses a reduction that came back with more rows than a request may hold (it was asked for
 * one more than the bound, so nothing larger ever travelled): 422 naming the range.
 */
export function boundedReduction(df: pl.DataFrame): pl.DataFrame {
  if (df.height <= COST_LIMITS.reducedRows) return df;
  const message = `The range and filters reduce to more than ${COST_LIMITS.reducedRows} rows (local days × distinct providers, services and currencies); narrow the range (start_date/end_date) or filter by providers or service_categories`;
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
