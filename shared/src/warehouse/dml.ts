import { isStructType } from './param-types.js';
import { assertIdentifier, normaliseType, type FieldSchema, type ParamType, type ParamValue, type TableSpec, type Warehouse } from './port.js';

/** The query-parameter type that writes into a column of this schema type (exactly that type: DATETIME stays DATETIME, BIGNUMERIC stays BIGNUMERIC). */
export function paramTypeFor(field: FieldSchema): ParamType {
  const scalar = ((): ParamType => {
    const t = normaliseType(field.type);
    switch (t) {
      case 'STRUCT':
        return { struct: Object.fromEntries((field.fields ?? []).map((f) => [f.name, paramTypeFor(f)])) };
      case 'INT64': case 'FLOAT64': case 'NUMERIC': case 'BIGNUMERIC': case 'BOOL':
      case 'TIMESTAMP': case 'DATETIME': case 'DATE': case 'TIME': case 'BYTES': case 'JSON':
        return t;
      default: return 'STRING';
    }
  })();
  return field.mode === 'REPEATED' ? { array: scalar } : scalar;
}

export type InsertRow = Record<string, ParamValue | undefined>;

/**
 * DML INSERT of one or more rows in one statement (one round-trip). Never the streaming API:
 * streamed rows cannot be updated or deleted for up to 90 minutes, and these rows are.
 * Columns not given are left NULL; every parameter is typed from the table's schema.
 */
export async function insertRows(wh: Warehouse, dataset: string, spec: TableSpec, rows: readonly InsertRow[]): Promise<number> {
  if (!rows.length) return 0;
  const byName = new Map(spec.fields.map((f) => [f.name, f]));
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  for (const c of columns) if (!byName.has(c)) throw new Error(`${spec.name} has no column ${c}`);
  const params: Record<string, ParamValue> = {};
  const types: Record<string, ParamType> = {};
  const tuples = rows.map((row, i) =>
    `(${columns.map((c) => {
      const name = `r${i}_${c}`;
      const field = byName.get(c)!;
      const type = paramTypeFor(field);
      // BigQuery's client cannot send a NULL STRUCT parameter; a NULL literal takes the column's type.
      if ((row[c] ?? null) === null && isStructType(type)) return 'NULL';
      // A REPEATED column holds an empty array, never NULL.
      params[name] = row[c] ?? (field.mode === 'REPEATED' ? [] : null);
      types[name] = type;
      return `@${name}`;
    }).join(', ')})`,
  );
  const sql = `INSERT INTO ${wh.table(dataset, spec.name)} (${columns.map((c) => assertIdentifier(c, 'column')).join(', ')}) VALUES ${tuples.join(', ')}`;
  const { affectedRows } = await wh.execute({ sql, params, types });
  return affectedRows;
}
