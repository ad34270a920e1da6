import pl from 'nodejs-polars';
import { FOCUS_TIMESTAMP, focusProblems } from './focus.js';

export type ExportFormat = 'csv' | 'json' | 'parquet' | 'focus';

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
 * One chunk of ledger rows as text: timestamps as UTC ISO 8601 (`YYYY-MM-DDTHH:mm:ssZ`), money as
 * exact decimal text (NUMERIC keeps 9 places), Tags as JSON, empty strings as nulls (FOCUS: a
 * value is present or null). `focus` first checks the chunk and throws on what FOCUS forbids.
 *
 * The `csv` export is for spreadsheets: text cells that would start a formula get a leading
 * single quote (OWASP's advice), so `=HYPERLINK(...)` in a display name shows as text. Only
 * text columns are looked at, and a text cell that is a plain number stays as it is; money,
 * quantities and timestamps are numbers and never change. The `focus` and `json` exports are
 * data interchange for tools and stay raw (README).
 *
 * Each expression costs nodejs-polars about 10 ms to build whatever the rows, so columns of one
 * kind share one multi-column expression (a handful per chunk instead of one per column).
 */
export function encodeChunk(df: pl.DataFrame, format: Exclude<ExportFormat, 'parquet'>, first: boolean): Uint8Array {
  const schema = Object.entries(df.schema) as [string, { variant: string; timeZone?: string | null }][];
  const of = (f: (t: { variant: string; timeZone?: string | null }) => boolean) => schema.filter(([, t]) => f(t)).map(([c]) => c);
  // DuckDB's TIMESTAMP arrives zone-less in UTC wall time, BigQuery's as UTC.
  const zoned = of((t) => t.variant === 'Datetime' && !!t.timeZone);
  const naive = of((t) => t.variant === 'Datetime' && !t.timeZone);
  const decimals = of((t) => t.variant === 'Decimal');
  // `dtype.equals(pl.Utf8)` is false for the String columns Parquet and Arrow give in nodejs-polars 0.24.1: ask the variant.
  const strings = of((t) => t.variant === 'String' || t.variant === 'Utf8');
  const exprs: pl.Expr[] = [];
  if (zoned.length) exprs.push(pl.col(zoned).dt.convertTimeZone('UTC').dt.strftime(FOCUS_TIMESTAMP));
  if (naive.length) exprs.push(pl.col(naive).dt.replaceTimeZone('UTC').dt.strftime(FOCUS_TIMESTAMP));
  if (decimals.length) exprs.push(pl.col(decimals).cast(pl.Utf8).str.replace('(\\.\\d*?)0+$', '$1').str.replace('\\.$', ''));
  if (strings.length) {
    const s = pl.col(strings);
    const text = format === 'csv' ? pl.when(s.str.contains(FORMULA_START).and(s.str.contains(PLAIN_NUMBER).not())).then(s.str.replace('^', "'")).otherwise(s) : s;
    // The branch that keeps the column names comes first (a literal branch would name it "literal").
    exprs.push(pl.when(s.neq(pl.lit(''))).then(text).otherwise(pl.lit(null).cast(pl.Utf8)));
  }
  const encoded = exprs.length ? df.withColumns(...exprs) : df;
  // An export job may pick its columns: Tags only when it is one of them.
  const text = df.columns.includes('Tags') ? encoded.withColumns(tagsAsJson(df)) : encoded;
  if (format === 'focus') {
    const problems = focusProblems(text);
    if (problems.length) throw new Error(`The ledger holds rows FOCUS 1.2 does not allow: ${problems.join('; ')}`);
  }
  if (format === 'json') {
    // One JSON array over all chunks: each chunk's array without its brackets, comma-joined. The
    // bytes are not copied: a later chunk's "[" becomes its separating comma.
    const body = text.writeJSON({ format: 'json' });
    const open = body.indexOf(0x5b);
    const close = body.lastIndexOf(0x5d);
    if (open < 0 || close <= open + 1) return new Uint8Array(0);
    if (first) return body.subarray(open + 1, close);
    body[open] = 0x2c;
    return body.subarray(open, close);
  }
  return text.writeCSV({ includeHeader: first });
}
