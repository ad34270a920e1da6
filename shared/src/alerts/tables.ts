import { paramTypeFor, type InsertRow } from '../warehouse/dml.js';
import type { FieldSchema, ParamType, ParamValue, TableSpec, Warehouse } from '../warehouse/port.js';
import { centralTables } from '../warehouse/schemas.js';

/** The alert tables (issue 20): central, keyed by org_id like the budgets. */
export const CENTRAL = 'organizations';
export type AlertTable = 'org_notification_channels' | 'org_notification_rules' | 'org_notification_summaries' | 'org_alert_firings' | 'org_notification_history' | 'org_cost_anomalies';

const specs = new Map<AlertTable, TableSpec>();
export function alertSpec(name: AlertTable): TableSpec {
  let spec = specs.get(name);
  if (!spec) {
    spec = centralTables().tables.find((t) => t.name === name);
    if (!spec) throw new Error(`No central table ${name}`);
    specs.set(name, spec);
  }
  return spec;
}

/** Column names from the schema file, so no store retypes them. */
export const alertColumns = (name: AlertTable): string[] => alertSpec(name).fields.map((f) => f.name);
export const alertFields = (name: AlertTable): Map<string, FieldSchema> => new Map(alertSpec(name).fields.map((f) => [f.name, f]));
export const alertRef = (wh: Warehouse, name: AlertTable): string => wh.table(CENTRAL, name);

/** `@p_col AS col, ...` for one row, every parameter typed from the schema (NULLs and JSON need it). */
export function selectParams(name: AlertTable, row: InsertRow, prefix: string, params: Record<string, ParamValue>, types: Record<string, ParamType>): string {
  const fields = alertFields(name);
  return alertColumns(name).map((c) => {
    const field = fields.get(c)!;
    params[`${prefix}${c}`] = row[c] ?? (field.mode === 'REPEATED' ? [] : null);
    types[`${prefix}${c}`] = paramTypeFor(field);
    return `@${prefix}${c} AS ${c}`;
  }).join(', ');
}

/** A stored JSON value back as a value (DuckDB answers text, BigQuery an object or text). */
export function fromJson<T>(v: unknown, fallback: T): T {
  if (v === null || v === undefined) return fallback;
  if (typeof v === 'string') {
    try { return JSON.parse(v) as T; } catch { return fallback; }
  }
  return v as T;
}

export const tsOf = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
export const tsOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : tsOf(v));
export const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
export const bytesOrNull = (v: unknown): Buffer | null => (v === null || v === undefined ? null : Buffer.from(v as Uint8Array));

/**
 * One UPDATE that sets every column of `row` but the key, the tenant and those in `keep` (the
 * creation, for example) on the tenant's row with that key, each parameter typed from the schema.
 * Returns the rows changed (0: no such row of this tenant).
 */
export async function replaceInPlace(wh: Warehouse, name: AlertTable, t: { orgSlug: string; orgId: string }, key: { column: string; value: string }, row: InsertRow, keep: readonly string[]): Promise<number> {
  const fields = alertFields(name);
  const settable = alertColumns(name).filter((c) => c !== key.column && c !== 'org_slug' && c !== 'org_id' && !keep.includes(c));
  const params: Record<string, ParamValue> = { org: t.orgSlug, org_id: t.orgId, key: key.value };
  const types: Record<string, ParamType> = {};
  for (const c of settable) { params[`v_${c}`] = row[c] ?? null; types[`v_${c}`] = paramTypeFor(fields.get(c)!); }
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${alertRef(wh, name)} SET ${settable.map((c) => `${c} = @v_${c}`).join(', ')} WHERE org_slug = @org AND org_id = @org_id AND ${key.column} = @key`,
    params, types,
  });
  return affectedRows;
}
