import {
  blobValue, dateValue, listValue, timestampValue,
  type DuckDBType, type DuckDBValue,
  BIGINT, BLOB, BOOLEAN, DATE, DOUBLE, LIST, TIMESTAMP, VARCHAR, DuckDBListType, DuckDBStructType,
} from '@duckdb/node-api';
import { normaliseType, type FieldSchema, type ParamType, type ParamValue } from './port.js';

/** DuckDB column type for a BigQuery schema field. */
export function duckdbColumnType(field: FieldSchema): string {
  let base: string;
  const t = normaliseType(field.type);
  switch (t) {
    case 'STRING': base = 'VARCHAR'; break;
    case 'BYTES': base = 'BLOB'; break;
    case 'INT64': base = 'BIGINT'; break;
    case 'FLOAT64': base = 'DOUBLE'; break;
    case 'NUMERIC': case 'BIGNUMERIC': base = 'DECIMAL(38,9)'; break;
    case 'BOOL': base = 'BOOLEAN'; break;
    // BigQuery TIMESTAMP is an instant; we store it as UTC wall time and read it back as UTC.
    case 'TIMESTAMP': case 'DATETIME': base = 'TIMESTAMP'; break;
    case 'DATE': base = 'DATE'; break;
    case 'TIME': base = 'TIME'; break;
    case 'JSON': base = 'JSON'; break;
    case 'STRUCT':
      base = `STRUCT(${(field.fields ?? []).map((f) => `"${f.name}" ${duckdbColumnType(f)}`).join(', ')})`;
      break;
  }
  return field.mode === 'REPEATED' ? `${base}[]` : base;
}

const DAY_MS = 86_400_000;

function scalarType(t: ParamType): DuckDBType {
  if (typeof t === 'object') return LIST(scalarType(t.array));
  switch (t) {
    case 'STRING': return VARCHAR;
    case 'INT64': return BIGINT;
    case 'FLOAT64': case 'NUMERIC': return DOUBLE;
    case 'BOOL': return BOOLEAN;
    case 'TIMESTAMP': return TIMESTAMP;
    case 'DATE': return DATE;
    case 'BYTES': return BLOB;
    // A JSON parameter travels as text; DuckDB casts it on insert into a JSON column.
    case 'JSON': return VARCHAR;
  }
}

/** Converts one parameter to a DuckDB value; the declared type wins over the JS type. */
export function toDuckValue(value: ParamValue, type?: ParamType): DuckDBValue {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const inner = typeof type === 'object' ? type.array : undefined;
    return listValue(value.map((v: ParamValue) => toDuckValue(v, inner)));
  }
  if (value instanceof Date) {
    if (type === 'DATE') return dateValue(Math.floor(value.getTime() / DAY_MS));
    return timestampValue(BigInt(value.getTime()) * 1000n);
  }
  if (value instanceof Uint8Array) return blobValue(value);
  if (type === 'TIMESTAMP' && typeof value === 'string') return timestampValue(BigInt(Date.parse(value)) * 1000n);
  if (type === 'DATE' && typeof value === 'string') return dateValue(Math.floor(Date.parse(`${value.slice(0, 10)}T00:00:00Z`) / DAY_MS));
  if (type === 'JSON' && typeof value !== 'string') return JSON.stringify(value);
  if (typeof value === 'number' && (type === 'INT64' || (type === undefined && Number.isInteger(value)))) return BigInt(value);
  return value as DuckDBValue;
}

export function duckTypes(types: Record<string, ParamType> | undefined): Record<string, DuckDBType> | undefined {
  if (!types) return undefined;
  return Object.fromEntries(Object.entries(types).map(([k, t]) => [k, scalarType(t)]));
}

/** Brings a DuckDB JS value into the port's row shape (see `Row`). */
export function fromDuckValue(value: unknown, type: DuckDBType): unknown {
  if (value === null || value === undefined) return null;
  if (type.alias === 'JSON' && typeof value === 'string') return JSON.parse(value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return type.toString() === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (Array.isArray(value)) {
    const child = type instanceof DuckDBListType ? type.valueType : type;
    return value.map((v) => fromDuckValue(v, child));
  }
  if (typeof value === 'object' && type instanceof DuckDBStructType) {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(type.entryNames.map((n, i) => [n, fromDuckValue(obj[n], type.entryTypes[i]!)]));
  }
  return value;
}
