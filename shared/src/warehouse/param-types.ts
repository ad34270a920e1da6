import type { ParamType, ParamValue, ScalarParamType, StructParamValue } from './port.js';

/** Engine-neutral reading of query parameters, shared by both adapters. */

export function isArrayType(t: ParamType): t is { array: ParamType } {
  return typeof t === 'object' && 'array' in t;
}

export function isStructType(t: ParamType): t is { struct: { readonly [field: string]: ParamType } } {
  return typeof t === 'object' && 'struct' in t;
}

export function isScalarType(t: ParamType): t is ScalarParamType {
  return typeof t === 'string';
}

/** A struct value: a plain object (not a Date, a byte array or an array). */
export function isStructValue(v: ParamValue): v is StructParamValue {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/** Every parameter gets an explicit type: a null has no type of its own, and guessing is how INT64 becomes FLOAT64. */
export function inferParamType(value: ParamValue): ParamType {
  if (value === null) throw new Error('A null parameter needs its type in `types`');
  if (Array.isArray(value)) {
    const first = (value as readonly ParamValue[]).find((v) => v !== null);
    if (first === undefined) throw new Error('An empty array parameter needs its type in `types`');
    return { array: inferParamType(first) };
  }
  if (value instanceof Date) return 'TIMESTAMP';
  if (value instanceof Uint8Array) return 'BYTES';
  if (typeof value === 'boolean') return 'BOOL';
  if (typeof value === 'number') return Number.isInteger(value) ? 'INT64' : 'FLOAT64';
  if (isStructValue(value)) {
    return { struct: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferParamType(v)])) };
  }
  return 'STRING';
}

/**
 * The struct's fields in the type's order, each with its value (absent means NULL); a field the
 * type does not name is an error rather than something dropped on the way to the warehouse.
 */
export function structEntries(value: StructParamValue, type: { struct: { readonly [field: string]: ParamType } }): [string, ParamValue, ParamType][] {
  for (const k of Object.keys(value)) {
    if (!(k in type.struct)) throw new Error(`STRUCT value has a field ${k} that its type does not declare`);
  }
  return Object.entries(type.struct).map(([k, t]) => [k, value[k] ?? null, t]);
}
