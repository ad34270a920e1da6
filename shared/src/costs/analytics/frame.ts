import pl from 'nodejs-polars';
import type { ColumnarResult } from '../../warehouse/port.js';
import type { RateTable } from '../rates/table.js';

/** Columnar bytes from the warehouse port as a Polars frame (Parquet from DuckDB, Arrow IPC from BigQuery). */
export function readColumnar(res: ColumnarResult): pl.DataFrame {
  const buf = Buffer.from(res.data.buffer, res.data.byteOffset, res.data.byteLength);
  return res.format === 'parquet' ? pl.readParquet(buf) : pl.readIPCStream(buf);
}

/**
 * Adds `day` (the org's local date, YYYY-MM-DD) to a frame of UTC `bucket` instants. DuckDB's
 * TIMESTAMP arrives zone-less (UTC wall time), BigQuery's as UTC: both are made UTC, then
 * converted to the org's zone, then formatted (a cast to Date would give the UTC date).
 */
export function localize(df: pl.DataFrame, timeZone: string): pl.DataFrame {
  const bucket = df.getColumn('bucket');
  const tz = (bucket.dtype as unknown as { timeZone?: string | null }).timeZone;
  const utc = tz ? pl.col('bucket').dt.convertTimeZone('UTC') : pl.col('bucket').dt.replaceTimeZone('UTC');
  return df.withColumns(utc.dt.convertTimeZone(timeZone).dt.strftime('%Y-%m-%d').alias('day'));
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
 * Converts `billed`, `effective` and `list` into `target` with the rate in force on each row's
 * local day (the last fixing on or before it). Only the distinct (day, currency) pairs travel to
 * JS for the lookup; the join and multiplication stay in Polars.
 */
export function convert(df: pl.DataFrame, rates: RateTable, target: string): { df: pl.DataFrame; used: RateUse[] } {
  if (df.height === 0) return { df: df.withColumns(pl.lit(1).cast(pl.Float64).alias('fx')), used: [] };
  const pairs = df.select('day', 'BillingCurrency').unique().sort(['BillingCurrency', 'day']).toRecords() as { day: string; BillingCurrency: string | null }[];
  const days: string[] = [];
  const currencies: string[] = [];
  const factors: number[] = [];
  const uses = new Map<string, Omit<RateUse, 'fixing_dates' | 'newest_fixing'> & { fixings: Set<string> }>();
  for (const { day, BillingCurrency } of pairs) {
    const from = BillingCurrency ?? target;
    const src = rates.lookup(from, day);
    const dst = rates.lookup(target, day);
    const factor = from === target ? 1 : dst.unitsPerEur / src.unitsPerEur;
    days.push(day);
    currencies.push(BillingCurrency as string);
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
  const fx = pl.DataFrame({ day: days, BillingCurrency: currencies, fx: factors });
  const joined = df.join(fx, { on: ['day', 'BillingCurrency'], how: 'left' });
  const used = [...uses.values()].map(({ fixings, ...u }): RateUse => {
    const sorted = [...fixings].filter((d) => d !== '').sort();
    const newest = [rates.newestFixing(u.from), rates.newestFixing(u.to)].filter((x): x is string => !!x).sort()[0] ?? null;
    return { ...u, fixing_dates: { first: sorted[0] ?? null, last: sorted[sorted.length - 1] ?? null, count: sorted.length }, newest_fixing: newest };
  });
  return { df: joined, used };
}
