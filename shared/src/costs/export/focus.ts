import pl from 'nodejs-polars';
import { CHARGE_CATEGORIES, CHARGE_FREQUENCIES, COST_CATEGORIES, SERVICE_CATEGORIES } from '../catalog.js';
import type { FieldSchema } from '../../warehouse/port.js';

/**
 * FOCUS 1.2 rules the export checks. What this relies on (FOCUS 1.2 specification, as its
 * column and metadata sections read): column IDs in PascalCase, custom columns prefixed `x_`;
 * date/times in UTC ISO 8601 `YYYY-MM-DDTHH:mm:ssZ`; null is the absence of a value (an empty
 * CSV field), never an empty string; the columns below MUST NOT be null; Tags is a JSON object
 * of key-value pairs; metadata (Data Generator, Schema: SchemaId, FocusVersion, CreationDate,
 * ColumnDefinition) is delivered beside the data, not inside it.
 */
export const FOCUS_VERSION = '1.2';
export const DATA_GENERATOR = 'CloudAct';

export const NOT_NULL = [
  'BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodEnd', 'BillingPeriodStart', 'ChargeCategory', 'ChargePeriodEnd',
  'ChargePeriodStart', 'ContractedCost', 'EffectiveCost', 'InvoiceIssuerName', 'ListCost', 'ProviderName', 'PublisherName', 'ServiceCategory', 'ServiceName',
] as const;

export const ALLOWED: Record<string, readonly string[]> = {
  ChargeCategory: CHARGE_CATEGORIES,
  ChargeClass: ['Correction'],
  ChargeFrequency: CHARGE_FREQUENCIES,
  ServiceCategory: SERVICE_CATEGORIES,
  x_CostCategory: COST_CATEGORIES,
};

export const FOCUS_TIMESTAMP = '%Y-%m-%dT%H:%M:%SZ';

/** Problems in one chunk: nulls where FOCUS forbids them, values outside the allowed lists, bad currency codes. */
export function focusProblems(df: pl.DataFrame): string[] {
  const problems: string[] = [];
  for (const c of NOT_NULL) {
    const nulls = df.getColumn(c).nullCount();
    if (nulls) problems.push(`${c}: ${nulls} null value(s), which FOCUS does not allow`);
  }
  for (const [c, allowed] of Object.entries(ALLOWED)) {
    const bad = df.filter(pl.col(c).isNotNull().and(pl.col(c).isIn([...allowed]).not())).getColumn(c).unique().toArray();
    if (bad.length) problems.push(`${c}: value(s) ${bad.slice(0, 5).join(', ')} are not allowed by FOCUS`);
  }
  const cur = df.filter(pl.col('BillingCurrency').isNotNull().and(pl.col('BillingCurrency').str.contains('^[A-Z]{3}$').not())).height;
  if (cur) problems.push(`BillingCurrency: ${cur} value(s) not an ISO 4217 code`);
  return problems;
}

/** FOCUS metadata data types for our BigQuery types. */
type ColumnType = { DataType: 'STRING' | 'DECIMAL' | 'DATETIME' | 'JSON' } & Record<string, string | number>;
function dataType(f: FieldSchema): ColumnType {
  if (f.name === 'Tags') return { DataType: 'JSON' };
  switch (f.type) {
    case 'NUMERIC': return { DataType: 'DECIMAL', NumericPrecision: 38, NumberScale: 9 };
    case 'TIMESTAMP': return { DataType: 'DATETIME' };
    case 'INTEGER': case 'INT64': return { DataType: 'DECIMAL', NumericPrecision: 19, NumberScale: 0 };
    default: return { DataType: 'STRING', StringEncoding: 'UTF-8' };
  }
}

/** The FOCUS metadata of an export: its data generator and schema (with one definition per column). */
export function focusMetadata(fields: readonly FieldSchema[], schemaId: string, created: Date) {
  return {
    DataGenerator: { DataGenerator: DATA_GENERATOR },
    Schema: {
      SchemaId: schemaId,
      FocusVersion: FOCUS_VERSION,
      CreationDate: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ColumnDefinition: fields.map((f) => ({ ColumnName: f.name, ...dataType(f) })),
    },
  };
}
