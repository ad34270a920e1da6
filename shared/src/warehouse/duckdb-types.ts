import {
  blobValue, dateValue, decimalValue, listValue, structValue, timestampValue, timeValue,
  type DuckDBType, type DuckDBValue, type DuckDBValueConverter, type JS,
  BIGINT, BLOB, BOOLEAN, DATE, DECIMAL, DOUBLE, LIST, STRUCT, TIME, TIMESTAMP, VARCHAR,
  DuckDBDecimalValue, DuckDBListType, DuckDBStructType, DuckDBTimeValue, DuckDBTypeId, JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { datetimeMicros, datetimeParam, timeMicros, timeParam } from './civil-time.js';
import { canonicalDecimal, decimalParam, scaledDecimal, type DecimalType } from './decimal.js';
import { inferParamType, isArrayType, isStructType, isStructValue, structEntries } from './param-types.js';
import { normaliseType, type FieldSchema, type ParamType, type ParamValue } from './port.js';

/**
 * Money is exact here as on BigQuery: NUMERIC is DECIMAL(38,9) (the same type). BIGNUMERIC
 * (76 digits, 38 after the point on BigQuery) has no DuckDB twin; DECIMAL(38,18) keeps 20
 * integer and 18 fractional digits exactly, and a value outside that is refused, never rounded.
 */
const DECIMAL_SCALE: Record<DecimalType, number> = { NUMERIC: 9, BIGNUMERIC: 18 };

/** DuckDB column type for a BigQuery schema field. */
export function duckdbColumnType(field: FieldSchema): string {
  let base: string;
  const t = normaliseType(field.type);
  switch (t) {
    case 'STRING': base = 'VARCHAR'; break;
    case 'BYTES': base = 'BLOB'; break;
    case 'INT64': base = 'BIGINT'; break;
    case 'FLOAT64': base = 'DOUBLE'; break;
    case 'NUMERIC': case 'BIGNUMERIC': base = `DECIMAL(38,${DECIMAL_SCALE[t]})`; break;
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

function paramDuckType(t: ParamType): DuckDBType {
  if (isArrayType(t)) return LIST(paramDuckType(t.array));
  if (isStructType(t)) return STRUCT(Object.fromEntries(Object.entries(t.struct).map(([k, f]) => [k, paramDuckType(f)])));
  switch (t) {
    case 'STRING': return VARCHAR;
    case 'INT64': return BIGINT;
    case 'FLOAT64': return DOUBLE;
    case 'NUMERIC': case 'BIGNUMERIC': return DECIMAL(38, DECIMAL_SCALE[t]);
    case 'BOOL': return BOOLEAN;
    // DATETIME is civil time; like TIMESTAMP columns it is kept as a zone-less TIMESTAMP.
    case 'TIMESTAMP': case 'DATETIME': return TIMESTAMP;
    case 'DATE': return DATE;
    case 'TIME': return TIME;
    case 'BYTES': return BLOB;
    // A JSON parameter travels as text; DuckDB casts it on insert into a JSON column.
    case 'JSON': return VARCHAR;
  }
}

/** Converts one parameter to a DuckDB value; the declared type wins over the JS type. */
export function toDuckValue(value: ParamValue, type?: ParamType): DuckDBValue {
  if (value === null) return null;
  if (Array.isArray(value)) {
    const inner = type && isArrayType(type) ? type.array : undefined;
    return listValue((value as readonly ParamValue[]).map((v) => toDuckValue(v, inner)));
  }
  if (isStructValue(value)) {
    const t = type ?? inferParamType(value);
    if (!isStructType(t)) throw new Error('A plain object parameter needs a STRUCT type');
    return structValue(Object.fromEntries(structEntries(value, t).map(([k, v, ft]) => [k, toDuckValue(v, ft)])));
  }
  if (type === 'NUMERIC' || type === 'BIGNUMERIC') {
    return decimalValue(scaledDecimal(decimalParam(value, type), type, DECIMAL_SCALE[type]), 38, DECIMAL_SCALE[type]);
  }
  if (type === 'DATETIME') return timestampValue(datetimeMicros(datetimeParam(value)));
  if (type === 'TIME') return timeValue(timeMicros(timeParam(value)));
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
  return Object.fromEntries(Object.entries(types).map(([k, t]) => [k, paramDuckType(t)]));
}

/**
 * DuckDB's own JS conversion, except where it would lose exactness or the port's shape:
 * NUMERIC/BIGNUMERIC as the canonical decimal string (its default is a double), TIME as
 * 'HH:MM:SS[.ffffff]'. Those columns are DECIMAL(38, s), and DuckDB keeps width 38 through SUM,
 * + and *; a narrower DECIMAL is a literal such as `0.5`, which BigQuery types FLOAT64, so it
 * stays a number. Use with `reader.convertRows(portValueConverter)`; lists and structs recurse.
 */
export const portValueConverter: DuckDBValueConverter<JS> = (value, type, converter) => {
  if (type.typeId === DuckDBTypeId.DECIMAL && value instanceof DuckDBDecimalValue && value.width === 38) return canonicalDecimal(value.toString());
  if (type.typeId === DuckDBTypeId.TIME && value instanceof DuckDBTimeValue) return value.toString();
  return JSDuckDBValueConverter(value, type, converter);
};

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
