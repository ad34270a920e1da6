import type { FieldSchema, TableSpec, Warehouse } from '../warehouse/port.js';
import { centralTables } from '../warehouse/schemas.js';

/** The central dataset (orgs/tables.ts names it too; the hierarchy's tables are central). */
export const CENTRAL = 'organizations';

export type HierarchyTable = 'org_hierarchy_levels' | 'org_hierarchy' | 'org_hierarchy_allocation_rules';

export function hierarchySpec(name: HierarchyTable): TableSpec {
  const spec = centralTables().tables.find((t) => t.name === name);
  if (!spec) throw new Error(`No central table ${name}`);
  return spec;
}

/** Column names from the schema file, so no store retypes them. */
export function hierarchyColumns(name: HierarchyTable): string[] {
  return hierarchySpec(name).fields.map((f) => f.name);
}

export function hierarchyFields(name: HierarchyTable): Map<string, FieldSchema> {
  return new Map(hierarchySpec(name).fields.map((f) => [f.name, f]));
}

export function hierarchyRef(wh: Warehouse, name: HierarchyTable): string {
  return wh.table(CENTRAL, name);
}
