import type { TableSpec, Warehouse } from '../warehouse/port.js';
import { centralTables, orgTables } from '../warehouse/schemas.js';

/** The central dataset; every org's own data lives in `{org_slug}_prod`. */
export const CENTRAL = 'organizations';

export type CentralTable = 'org_profiles' | 'org_api_keys' | 'org_subscriptions' | 'org_usage_quotas' | 'org_audit_logs' | 'org_integration_credentials' | 'org_idempotency_keys' | 'org_chat_settings';

export function centralSpec(name: CentralTable): TableSpec {
  const spec = centralTables().tables.find((t) => t.name === name);
  if (!spec) throw new Error(`No central table ${name}`);
  return spec;
}

export function orgDataset(orgSlug: string): string {
  return `${orgSlug}${orgTables().datasetSuffix ?? '_prod'}`;
}

/**
 * A table's column names as its schema file in configs/ lists them, so no store retypes them.
 * `except` leaves out columns a caller must never see (e.g. key hashes).
 */
export function columnsOf(name: CentralTable, except: readonly string[] = []): string[] {
  return centralSpec(name).fields.map((f) => f.name).filter((n) => !except.includes(n));
}

/** `"organizations"."org_profiles"` (DuckDB) or `` `project.organizations.org_profiles` `` (BigQuery). */
export function ref(wh: Warehouse, name: CentralTable): string {
  return wh.table(CENTRAL, name);
}

export { ORG_SLUG_PATTERN } from './slug.js';
