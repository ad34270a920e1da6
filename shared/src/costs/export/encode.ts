import pl from 'nodejs-polars';
import { FOCUS_TIMESTAMP, focusProblems } from './focus.js';

export type ExportFormat = 'csv' | 'json' | 'parquet' | 'focus';

/** TIMESTAMP columns made UTC (DuckDB's arrive zone-less in UTC wall time, BigQuery's as UTC). */
function utc(df: pl.DataFrame, name: string): pl.Expr {
  const tz = (df.getColumn(name).dtype as unknown as { timeZone?: string | null }).timeZone;
  return tz ? pl.col(name).dt.convertTimeZone('UTC') : pl.col(name).dt.replaceTimeZone('UTC');
}

/** Tags (a repeated Key/Value record) as FOCUS's JSON object; converted in JS only when a chunk has any. */
function tagsAsJson(df: pl.DataFrame): pl.Series {
  const tags = df.getColumn('Tags');
  if (tags.nullCount() === df.height) return pl.Series('Tags', new Array<string | null>(df.height).fill(null), pl.Utf8);
  const values = tags.toArray() as unknown as ({ Key: string | null; Value: string | null }[] | null)[];
  return pl.Series('Tags', values.map((list) => (list && list.length ? JSON.stringify(Object.fromEntries(list.map((t) => [t.Key ?? '', t.Value]))) : null)), pl.Utf8);
}

/**
 * One chunk of ledger rows as text: timestamps as UTC ISO 8601 (`YYYY-MM-DDTHH:mm:ssZ`), money as
 * exact decimal text (NUMERIC keeps 9 places), Tags as JSON, empty strings as nulls (FOCUS: a
 * value is present or null). `focus` first checks the chunk and throws on what FOCUS forbids.
 */
export function encodeChunk(df: pl.DataFrame, format: Exclude<ExportFormat, 'parquet'>, first: boolean): Uint8Array {
  const variant = (c: string) => (df.getColumn(c).dtype as unknown as { variant: string }).variant;
  const timestamps = df.columns.filter((c) => variant(c) === 'Datetime');
  const decimals = df.columns.filter((c) => variant(c) === 'Decimal');
  const strings = df.columns.filter((c) => df.getColumn(c).dtype.equals(pl.Utf8));
  const text = df.withColumns(
    ...timestamps.map((c) => utc(df, c).dt.strftime(FOCUS_TIMESTAMP).alias(c)),
    ...decimals.map((c) => pl.col(c).cast(pl.Utf8).str.replace('(\\.\\d*?)0+$', '$1').str.replace('\\.$', '').alias(c)),
    ...strings.map((c) => pl.when(pl.col(c).eq(pl.lit(''))).then(pl.lit(null).cast(pl.Utf8)).otherwise(pl.col(c)).alias(c)),
  ).withColumns(tagsAsJson(df));
  if (format === 'focus') {
    const problems = focusProblems(text);
    if (problems.length) throw new Error(`The ledger holds rows FOCUS 1.2 does not allow: ${problems.join('; ')}`);
  }
  if (format === 'json') {
    // One JSON array over all chunks: each chunk's array without its brackets, comma-joined.
    const body = text.writeJSON({ format: 'json' }).toString('utf8').trim();
    const inner = body.slice(1, -1);
    return Buffer.from(inner ? `${first ? '' : ','}${inner}` : '', 'utf8');
  }
  return text.writeCSV({ includeHeader: first });
}
