import type { SimpleTableProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/SimpleTableProto';
import type { TypeProto } from '@fivetrandevelopers/zetasql/lib/types/zetasql/TypeProto';
import { normaliseType, type FieldSchema } from '../../src/warehouse/port.js';

/**
 * BigQuery types as ZetaSQL TypeProtos: table columns (BigQuery JSON schema) and query
 * parameters (as BigQuery's REST API receives them). Plain data only, so it can cross from a
 * test worker to the analyzer service.
 */

/** A query parameter's type as the client library puts it on the wire (`QueryParameterType`). */
export interface BqWireType {
  type: string;
  arrayType?: BqWireType;
  structTypes?: { name?: string; type: BqWireType }[];
  rangeElementType?: BqWireType;
}

const SCALARS: Record<string, TypeProto['typeKind']> = {
  STRING: 'TYPE_STRING',
  BYTES: 'TYPE_BYTES',
  INT64: 'TYPE_INT64', INTEGER: 'TYPE_INT64', INT: 'TYPE_INT64', SMALLINT: 'TYPE_INT64', BIGINT: 'TYPE_INT64', TINYINT: 'TYPE_INT64', BYTEINT: 'TYPE_INT64',
  FLOAT64: 'TYPE_DOUBLE', FLOAT: 'TYPE_DOUBLE',
  NUMERIC: 'TYPE_NUMERIC', DECIMAL: 'TYPE_NUMERIC',
  BIGNUMERIC: 'TYPE_BIGNUMERIC', BIGDECIMAL: 'TYPE_BIGNUMERIC',
  BOOL: 'TYPE_BOOL', BOOLEAN: 'TYPE_BOOL',
  TIMESTAMP: 'TYPE_TIMESTAMP',
  DATE: 'TYPE_DATE',
  TIME: 'TYPE_TIME',
  DATETIME: 'TYPE_DATETIME',
  GEOGRAPHY: 'TYPE_GEOGRAPHY',
  JSON: 'TYPE_JSON',
  INTERVAL: 'TYPE_INTERVAL',
};

function scalar(name: string, where: string): TypeProto {
  const kind = SCALARS[name.toUpperCase()];
  if (!kind) throw new Error(`${where}: BigQuery has no type ${JSON.stringify(name)}`);
  return { typeKind: kind };
}

/** A column of a BigQuery JSON schema as a ZetaSQL type (REPEATED is ARRAY, RECORD is STRUCT). */
export function columnType(field: FieldSchema, where = field.name): TypeProto {
  const t = normaliseType(field.type);
  let base: TypeProto;
  if (t === 'STRUCT') {
    if (!field.fields?.length) throw new Error(`${where}: a RECORD needs fields`);
    base = { typeKind: 'TYPE_STRUCT', structType: { field: field.fields.map((f) => ({ fieldName: f.name, fieldType: columnType(f, `${where}.${f.name}`) })) } };
  } else {
    base = scalar(t, where);
  }
  return field.mode === 'REPEATED' ? { typeKind: 'TYPE_ARRAY', arrayType: { elementType: base } } : base;
}

/** A parameter's wire type as a ZetaSQL type. */
export function wireType(t: BqWireType, where: string): TypeProto {
  switch (t.type.toUpperCase()) {
    case 'ARRAY':
      if (!t.arrayType) throw new Error(`${where}: ARRAY without an element type`);
      if (t.arrayType.type.toUpperCase() === 'ARRAY') throw new Error(`${where}: BigQuery has no ARRAY<ARRAY<...>>`);
      return { typeKind: 'TYPE_ARRAY', arrayType: { elementType: wireType(t.arrayType, `${where}[]`) } };
    case 'STRUCT':
      return { typeKind: 'TYPE_STRUCT', structType: { field: (t.structTypes ?? []).map((f, i) => ({ fieldName: f.name ?? '', fieldType: wireType(f.type, `${where}.${f.name ?? i}`) })) } };
    case 'RANGE':
      if (!t.rangeElementType) throw new Error(`${where}: RANGE without an element type`);
      return { typeKind: 'TYPE_RANGE', rangeType: { elementType: wireType(t.rangeElementType, `${where}<>`) } };
    default:
      return scalar(t.type, where);
  }
}

/** `TYPE_STRING`, `ARRAY<TYPE_STRING>`…: for messages. */
export function describeType(t: TypeProto): string {
  if (t.typeKind === 'TYPE_ARRAY') return `ARRAY<${describeType(t.arrayType?.elementType ?? {})}>`;
  if (t.typeKind === 'TYPE_STRUCT') return `STRUCT<${(t.structType?.field ?? []).map((f) => `${f.fieldName} ${describeType(f.fieldType ?? {})}`).join(', ')}>`;
  return String(t.typeKind ?? '?').replace(/^TYPE_/, '');
}

/** One catalog table, named as BigQuery's SQL names it: the single backticked `project.dataset.table`. */
export function catalogTable(fullName: string, fields: readonly FieldSchema[]): SimpleTableProto {
  return { name: fullName, column: fields.map((f) => ({ name: f.name, type: columnType(f, `${fullName}.${f.name}`) })) };
}
