import { BigQuery } from '@google-cloud/bigquery';
import { datetimeParam, timeParam } from './civil-time.js';
import { canonicalDecimal, decimalParam } from './decimal.js';
import { isArrayType, isStructType, isStructValue, structEntries } from './param-types.js';
import { normaliseType, type FieldSchema, type ParamType, type ParamValue, type Row } from './port.js';

export { inferParamType } from './param-types.js';

/**
 * The parameter type BigQuery's client expects: a name, a one-element array for ARRAY<T>, an
 * object of field types (in order) for STRUCT.
 */
export type BqParamType = string | BqParamType[] | { [field: string]: BqParamType };

export function bqParamType(t: ParamType): BqParamType {
  if (isArrayType(t)) {
    if (isArrayType(t.array)) throw new Error('BigQuery has no ARRAY<ARRAY<...>> parameters');
    return [bqParamType(t.array)];
  }
  if (isStructType(t)) return Object.fromEntries(Object.entries(t.struct).map(([k, f]) => [k, bqParamType(f)]));
  return t;
}

/**
 * A parameter value in the form the client library turns into the right REST value. Checked
 * against the library's own converter (valueToQueryParameter_) in the adapter tests, because
 * the wrong form is not rejected: a DATE string becomes NULL, a Buffer becomes a JSON object,
 * a Date inside an array becomes an empty value (the converter unwraps `.value` of array items).
 */
export function bqParamValue(value: ParamValue, type: ParamType): unknown {
  if (isArrayType(type)) {
    if (value === null) return []; // the client cannot send a NULL array; BigQuery stores one as empty anyway
    if (!Array.isArray(value)) throw new Error(`An ARRAY parameter takes an array, not ${typeof value}`);
    return (value as readonly ParamValue[]).map((v) => {
      if (v === null && isStructType(type.array)) throw new Error('An ARRAY<STRUCT> parameter cannot hold a NULL element');
      return bqParamValue(v, type.array);
    });
  }
  if (isStructType(type)) {
    if (value === null) throw new Error('The client library cannot send a NULL STRUCT parameter; write NULL in the SQL instead');
    if (!isStructValue(value)) throw new Error('A STRUCT parameter takes a plain object');
    return Object.fromEntries(structEntries(value, type).map(([k, v, t]) => {
      if (v === null && isStructType(t)) throw new Error(`The client library cannot send a NULL STRUCT field (${k})`);
      return [k, bqParamValue(v, t)];
    }));
  }
  if (value === null) return null;
  if (Array.isArray(value) || isStructValue(value)) throw new Error(`A ${type} parameter cannot take an array or object`);
  switch (type) {
    case 'DATE':
      return BigQuery.date(value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));
    case 'TIMESTAMP': {
      // Wrapped even at the top level: inside an array the converter reads `.value`, which a Date lacks.
      const at = value instanceof Date ? value : new Date(String(value));
      if (Number.isNaN(at.getTime())) throw new Error(`Not a TIMESTAMP: ${JSON.stringify(value)}`);
      return BigQuery.timestamp(at);
    }
    case 'DATETIME':
      return BigQuery.datetime(datetimeParam(value));
    case 'TIME':
      return BigQuery.time(timeParam(value));
    case 'BYTES':
      return Buffer.from(value instanceof Uint8Array ? value : String(value)).toString('base64');
    case 'NUMERIC': case 'BIGNUMERIC':
      return decimalParam(value, type);
    case 'JSON':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
  }
}

/** Standard-SQL DDL type, for ALTER TABLE ADD COLUMN. */
export function bqDdlType(field: FieldSchema): string {
  const t = normaliseType(field.type);
  const base = t === 'STRUCT'
    ? `STRUCT<${(field.fields ?? []).map((f) => `${f.name} ${bqDdlType(f)}`).join(', ')}>`
    : t;
  return field.mode === 'REPEATED' ? `ARRAY<${base}>` : base;
}

/** BigQuery's client wraps TIMESTAMP, DATE, DATETIME and TIME in objects with a `value`. */
export function normaliseBqRow(row: Row): Row {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, normaliseBqValue(v)]));
}

function normaliseBqValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (Array.isArray(v)) return v.map(normaliseBqValue);
  if (typeof v === 'object') {
    const ctor = (v as { constructor?: { name?: string } }).constructor?.name ?? '';
    if (/^BigQuery(Timestamp|Date|Datetime|Time)$/.test(ctor)) {
      const value = String((v as { value: unknown }).value);
      return ctor === 'BigQueryTimestamp' ? new Date(value).toISOString() : value;
    }
    // NUMERIC and BIGNUMERIC arrive as big.js values; the port's shape is the exact decimal string.
    if (ctor === 'Big') return canonicalDecimal((v as { toFixed(): string }).toFixed());
    if (ctor === 'Object') return normaliseBqRow(v as Row);
  }
  return v;
}
