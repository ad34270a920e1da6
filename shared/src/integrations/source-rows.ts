import { paramTypeFor, type InsertRow } from '../warehouse/dml.js';
import { assertIdentifier, type ParamType, type ParamValue, type TableSpec } from '../warehouse/port.js';

/**
 * Rows given as parameters, as a query: `SELECT @s0_a AS a, @s0_b AS b UNION ALL SELECT ...`,
 * every column of the table in schema order and every parameter typed from the schema (so NULL
 * and NUMERIC values bind as the column's type on both engines). The source of the stores'
 * MERGE and INSERT … SELECT statements: one statement, one round-trip, however many rows.
 * `extra` adds literal columns (e.g. what a MERGE should do with the row).
 */
export function rowsAsSelect(spec: TableSpec, rows: readonly InsertRow[], prefix: string, extra: (row: number) => Record<string, ParamValue> = () => ({})): { sql: string; params: Record<string, ParamValue>; types: Record<string, ParamType> } {
  const params: Record<string, ParamValue> = {};
  const types: Record<string, ParamType> = {};
  const selects = rows.map((row, i) => {
    const cols = spec.fields.map((f) => {
      const name = `${prefix}${i}_${f.name}`;
      params[name] = row[f.name] ?? null;
      types[name] = paramTypeFor(f);
      return `@${name} AS ${assertIdentifier(f.name, 'column')}`;
    });
    for (const [k, v] of Object.entries(extra(i))) {
      const name = `${prefix}${i}_x_${k}`;
      params[name] = v;
      cols.push(`@${name} AS ${assertIdentifier(k, 'column')}`);
    }
    return `SELECT ${cols.join(', ')}`;
  });
  return { sql: selects.join(' UNION ALL '), params, types };
}
