import type { FieldSchema, TableSpec, Warehouse } from '../warehouse/port.js';
import { centralTables } from '../warehouse/schemas.js';

/** The central dataset (orgs/tables.ts names it too; org_budgets is central, keyed by org_id). */
export const CENTRAL = 'organizations';
export const TABLE = 'org_budgets';

export function budgetsSpec(): TableSpec {
  const spec = centralTables().tables.find((t) => t.name === TABLE);
  if (!spec) throw new Error(`No central table ${TABLE}`);
  return spec;
}

let columns: string[] | undefined;
/** Column names from the schema file, so no store retypes them. */
export const budgetColumns = (): string[] => (columns ??= budgetsSpec().fields.map((f) => f.name));

export function budgetFields(): Map<string, FieldSchema> {
  return new Map(budgetsSpec().fields.map((f) => [f.name, f]));
}

export function budgetsRef(wh: Warehouse): string {
  return wh.table(CENTRAL, TABLE);
}
