import { BigQuery } from '@google-cloud/bigquery';
import { normaliseType, type FieldSchema, type ParamType, type ParamValue, type Row } from './port.js';

/** The parameter type BigQuery's client expects: a name, or a one-element array for ARRAY<T>. */
export type BqParamType = string | string[];

export function bqParamType(t: ParamType): BqParamType {
  if (typeof t !== 'object') return t;
  if (typeof t.array === 'object') throw new Error('BigQuery has no ARRAY<ARRAY<...>> parameters');
  return [t.array];
}

/** Every parameter gets an explicit type: a null has no type of its own, and guessing is how INT64 becomes FLOAT64. */
export function inferParamType(value: ParamValue): ParamType {
  if (value === null) throw new Error('A null parameter needs its type in `types`');
  if (Array.isArray(value)) {
    const first = value.find((v) => v !== null);
    if (first === undefined) throw new Error('An empty array parameter needs its type in `types`');
    return { array: inferParamType(first) };
  }
  if (value instanceof Date) return 'TIMESTAMP';
  if (value instanceof Uint8Array) return 'BYTES';
  if (typeof value === 'boolean') return 'BOOL';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  return 'STRING';
}

/**
 * A parameter value in the form the client library turns into the right REST value. Checked
 * against the library's own converter (valueToQueryParameter_) in the adapter tests, because
 * the wrong form is not rejected: a DATE string becomes NULL, a Buffer becomes a JSON object.
 */
export function bqParamValue(value: ParamValue, type: ParamType): unknown {
  if (value === null) return typeof type === 'object' ? [] : null; // the client cannot send a NULL array
  if (Array.isArray(value)) return value.map((v: ParamValue) => bqParamValue(v, typeof type === 'object' ? type.array : type));
  switch (type) {
    case 'DATE':
      return BigQuery.date(value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));
    case 'TIMESTAMP':
      return value instanceof Date ? value : new Date(String(value));
    case 'BYTES':
      return Buffer.from(value instanceof Uint8Array ? value : String(value)).toString('base64');
    case 'NUMERIC':
      return String(value);
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
    if (ctor === 'Big') return Number(String(v));
    if (ctor === 'Object') return normaliseBqRow(v as Row);
  }
  return v;
}
