import pl from 'nodejs-polars';
import type { ColumnarResult } from '../../warehouse/port.js';
import type { RateTable } from '../rates/table.js';
import { decimalsOf, roundMoney } from './money.js';

/** Columnar bytes from the warehouse port as a Polars frame (Parquet from DuckDB, Arrow IPC from BigQuery). */
export function readColumnar(res: ColumnarResult): pl.DataFrame {
  const buf = Buffer.from(res.data.buffer, res.data.byteOffset, res.data.byteLength);
  return res.format === 'parquet' ? pl.readParquet(buf) : pl.readIPCStream(buf);
}

/** Adds `day` (the org's local date, YYYY-MM-DD) to a frame of `local_day` numbers (days since 1970-01-01, cut in the warehouse). */
export function localDays(df: pl.DataFrame): pl.DataFrame {
  return df.withColumns(pl.col('local_day').cast(pl.Int32).cast(pl.Date).dt.strftime('%Y-%m-%d').alias('day'));
}

/** One rate a response used: from a billing currency to the reporting currency, over the days it applied. */
export interface RateUse {
  from: string;
  to: string;
  first_day: string;
  last_day: string;
  /** The fixings used (first, last, how many distinct). */
  fixing_dates: { first: string | null; last: string | null; count: number };
  min_rate: number;
  max_rate: number;
  /** Days after the newest fixing: the newest rate was carried forward. */
  carried_forward: boolean;
  /** Days before the oldest fixing, or a currency without an official rate (KWD). */
  approximation: boolean;
  newest_fixing: string | null;
}

/**
 * A billing currency the response could not convert (no rate at all for it: neither the
 * shipped reference nor an operator row): its rows are left out of every total, and listed
 * here with their amounts in the billing currency itself, over the response's local days.
 */
export interface MissingRate {
  currency: string;
  to: string;
  /** EffectiveCost of the rows left out, in `currency`. */
  amount: number;
  billed_amount: number;
  record_count: number;
  first_day: string;
  last_day: string;
}

/** What a response says of its exchange rates: the ones used, and the currencies it had none for. */
export interface RatesReport { used: RateUse[]; missing: MissingRate[] }

export const NO_RATES: RatesReport = { used: [], missing: [] };

/**
 * Converts `billed`, `effective` and `list` into `target` with the rate in force on each row's
 * local day (the last fixing on or before it). Only the distinct (day, currency) pairs travel to
 * JS for the lookup; the join and multiplication stay in Polars. A currency without any rate
 * (or a malformed code) gets a null `fx`: `unconverted` splits those rows off.
 */
export function convert(df: pl.DataFrame, rates: RateTable, target: string): { df: pl.DataFrame; used: RateUse[] } {
  if (df.height === 0) return { df: df.withColumns(pl.lit(1).cast(pl.Float64).alias('fx')), used: [] };
  const pairs = df.select('day', 'BillingCurrency').unique().sort(['BillingCurrency', 'day']).toRecords() as { day: string; BillingCurrency: string | null }[];
  const days: string[] = [];
  const currencies: string[] = [];
  const factors: (number | null)[] = [];
  const uses = new Map<string, Omit<RateUse, 'fixing_dates' | 'newest_fixing'> & { fixings: Set<string> }>();
  for (const { day, BillingCurrency } of pairs) {
    const from = BillingCurrency ?? target;
    days.push(day);
    currencies.push(BillingCurrency as string);
    if (from !== target && !rates.has(from)) {
      factors.push(null);
      continue;
    }
    const src = rates.lookup(from, day);
    const dst = rates.lookup(target, day);
    const factor = from === target ? 1 : dst.unitsPerEur / src.unitsPerEur;
    factors.push(factor);
    if (from === target) continue;
    const u = uses.get(from) ?? { from, to: target, first_day: day, last_day: day, fixings: new Set<string>(), min_rate: factor, max_rate: factor, carried_forward: false, approximation: false };
    u.last_day = day;
    u.min_rate = Math.min(u.min_rate, factor);
    u.max_rate = Math.max(u.max_rate, factor);
    u.fixings.add(src.fixingDate);
    u.fixings.add(dst.fixingDate);
    u.carried_forward ||= src.carriedForward || dst.carriedForward;
    u.approximation ||= src.approximation || dst.approximation || src.carriedBack || dst.carriedBack;
    uses.set(from, u);
  }
  const fx = pl.DataFrame([pl.Series('day', days, pl.Utf8), pl.Series('BillingCurrency', currencies, pl.Utf8), pl.Series('fx', factors, pl.Float64)]);
  const joined = df.join(fx, { on: ['day', 'BillingCurrency'], how: 'left' });
  const used = [...uses.values()].map(({ fixings, ...u }): RateUse => {
    const sorted = [...fixings].filter((d) => d !== '').sort();
    const newest = [rates.newestFixing(u.from), rates.newestFixing(u.to)].filter((x): x is string => !!x).sort()[0] ?? null;
    return { ...u, fixing_dates: { first: sorted[0] ?? null, last: sorted[sorted.length - 1] ?? null, count: sorted.length }, newest_fixing: newest };
  });
  return { df: joined, used };
}

/**
 * Splits a converted frame into the rows with a rate and the missing-rate report of the others
 * over local days `from`..`to` (a handful of rows: one per currency without a rate).
 */
export function unconverted(df: pl.DataFrame, target: string, from: string, to: string): { df: pl.DataFrame; missing: MissingRate[] } {
  if (df.height === 0 || df.getColumn('fx').nullCount() === 0) return { df, missing: [] };
  const gone = df.filter(pl.col('fx').isNull().and(pl.col('day').gtEq(pl.lit(from))).and(pl.col('day').ltEq(pl.lit(to))));
  const kept = df.filter(pl.col('fx').isNotNull());
  const grouped = gone.height
    ? gone.groupBy('BillingCurrency').agg(
      pl.col('effective').sum().cast(pl.Float64).alias('amount'), pl.col('billed').sum().cast(pl.Float64).alias('billed_amount'),
      pl.col('records').sum().cast(pl.Float64).alias('record_count'), pl.col('day').min().alias('first_day'), pl.col('day').max().alias('last_day'))
    : undefined;
  const rows = (grouped?.toRecords() ?? []) as unknown as { BillingCurrency: string | null; amount: number | null; billed_amount: number | null; record_count: number; first_day: string; last_day: string }[];
  const round = (x: number | null, c: string) => roundMoney(x ?? 0, decimalsOf(c));
  const missing = rows.map((r): MissingRate => {
    const c = r.BillingCurrency ?? '';
    return { currency: c, to: target, amount: round(r.amount, c), billed_amount: round(r.billed_amount, c), record_count: r.record_count, first_day: r.first_day, last_day: r.last_day };
  }).sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  return { df: kept, missing };
}
