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

/** A text cell a spreadsheet would run as a formula: it starts with = + - @ TAB or CR (OWASP CSV injection). */
const FORMULA_START = '^[=+\\-@\t\r]';
/** ...unless the whole cell is a plain number (-12.5 is a value, not a formula). */
const PLAIN_NUMBER = '^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$';

/**
 * The `csv` export is for spreadsheets: text cells that would start a formula get a leading
 * single quote (OWASP's advice), so `=HYPERLINK(...)` in a display name shows as text. Only
 * text columns are looked at; money, quantities and timestamps are numbers and never change.
 * The `focus` and `json` exports are data interchange for tools and stay raw (README).
 */
function neutralised(c: string): pl.Expr {
  const col = pl.col(c);
  return pl.when(col.str.contains(FORMULA_START).and(col.str.contains(PLAIN_NUMBER).not()))
    .then(pl.concatString([pl.lit("'"), col], ''))
    .otherwise(col)
    .alias(c);
}

/**
 * One chunk of ledger rows as text: timestamps as UTC ISO 8601 (`YYYY-MM-DDTHH:mm:ssZ`), money as
 * exact decimal text (NUMERIC keeps 9 places), Tags as JSON, empty strings as nulls (FOCUS: a
 * value is present or null). `focus` first checks the chunk and throws on what FOCUS forbids;
 * `csv` neutralises cells a spreadsheet would run as formulas.
 */
export function encodeChunk(df: pl.DataFrame, format: Exclude<ExportFormat, 'parquet'>, first: boolean): Uint8Array {
  const variant = (c: string) => (df.getColumn(c).dtype as unknown as { variant: string }).variant;
  const timestamps = df.columns.filter((c) => variant(c) === 'Datetime');
  const decimals = df.columns.filter((c) => variant(c) === 'Decimal');
  // `dtype.equals(pl.Utf8)` is false for the String columns Parquet and Arrow give in nodejs-polars 0.24.1: ask the variant.
  const strings = df.columns.filter((c) => variant(c) === 'String' || variant(c) === 'Utf8');
  const text = df.withColumns(
    ...timestamps.map((c) => utc(df, c).dt.strftime(FOCUS_TIMESTAMP).alias(c)),
    ...decimals.map((c) => pl.col(c).cast(pl.Utf8).str.replace('(\\.\\d*?)0+$', '$1').str.replace('\\.$', '').alias(c)),
    ...strings.map((c) => pl.when(pl.col(c).eq(pl.lit(''))).then(pl.lit(null).cast(pl.Utf8)).otherwise(pl.col(c)).alias(c)),
  ).withColumns(tagsAsJson(df));
  const safe = format === 'csv' && strings.length ? text.withColumns(...strings.filter((c) => c !== 'Tags').map(neutralised)) : text;
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
  return safe.writeCSV({ includeHeader: first });
}
