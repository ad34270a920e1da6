/**
 * The statement BigQuery would receive for one written against either adapter: the DuckDB
 * adapter's `"dataset"."table"` becomes the BigQuery adapter's `` `project.dataset.table` ``.
 */

/** The project the catalog's table names carry; with a dash, as real project ids often have. */
export const CHECK_PROJECT = 'cloudact-zetasql-check';

const DUCKDB_REF = /"([A-Za-z0-9_]+)"\s*\.\s*"([A-Za-z0-9_]+)"/g;
const BQ_REF = /`([^`.\s]+)\.([^`.\s]+)\.([^`.\s]+)`/g;
const STRING_LITERAL = /('(?:[^'\\\n]|\\.)*')/;

/** BigQuery SQL for a statement written for either adapter, and the tables it names. */
export function toBigQuerySql(sql: string, table: (dataset: string, table: string) => string): { sql: string; tables: { dataset: string; table: string }[] } {
  // Literals are left alone: a quoted name inside a string is text, not a table.
  const mapped = sql.split(STRING_LITERAL).map((part, i) => (i % 2 ? part : part.replace(DUCKDB_REF, (_, d: string, t: string) => table(d, t)))).join('');
  const seen = new Map<string, { dataset: string; table: string }>();
  for (const part of mapped.split(STRING_LITERAL).filter((_, i) => i % 2 === 0)) {
    for (const m of part.matchAll(BQ_REF)) {
      if (m[1] === CHECK_PROJECT) seen.set(`${m[2]}.${m[3]}`, { dataset: m[2]!, table: m[3]! });
    }
  }
  return { sql: mapped, tables: [...seen.values()] };
}
