import type { Ctx } from '../context/index.js';
import type { Warehouse } from '../warehouse/port.js';
import { missingColumns, type TableSet } from '../warehouse/schemas.js';

export interface BootstrapStatusCtx extends Pick<Ctx, 'warehouse' | 'clock'> {
  tables: TableSet;
}

export interface BootstrapStatus {
  /** SYNCED: every table of the schema files exists with every column; OUT_OF_SYNC: some are missing (POST /admin/bootstrap, with sync_schema for columns). */
  status: 'SYNCED' | 'OUT_OF_SYNC' | 'NOT_BOOTSTRAPPED';
  dataset: string;
  dataset_exists: boolean;
  tables_expected: number;
  tables_existing: string[];
  tables_missing: string[];
  tables_extra: string[];
  schema_diffs: Record<string, { missing_columns: string[]; extra_columns: string[] }>;
  message: string;
  checked_at: string;
  cached: boolean;
}

/** How long one instance answers from its last check (the web app asks before every onboarding). */
export const STATUS_TTL_MS = 30_000;

interface Entry { value: Omit<BootstrapStatus, 'cached'>; until: number }

/** Per warehouse (one per instance's deps), per dataset: the last answer and a check in flight. */
const cache = new WeakMap<Warehouse, Map<string, { last?: Entry; running?: Promise<Omit<BootstrapStatus, 'cached'>> }>>();

function slot(wh: Warehouse, dataset: string) {
  let byDataset = cache.get(wh);
  if (!byDataset) cache.set(wh, (byDataset = new Map()));
  let s = byDataset.get(dataset);
  if (!s) byDataset.set(dataset, (s = {}));
  return s;
}

/** After a bootstrap run: the next status is checked afresh. */
export function forgetBootstrapStatus(wh: Warehouse, dataset: string): void {
  cache.get(wh)?.delete(dataset);
}

/**
 * The central dataset compared with the schema files (configs/setup/bootstrap): which tables and
 * columns are missing or extra. One warehouse round-trip (describeDataset: every table with its
 * columns), kept for STATUS_TTL_MS per instance; concurrent callers share one check, and
 * `forceRefresh` checks again. Columns missing are what bootstrap's `sync_schema` would add
 * (the same `missingColumns`). A dataset without any table counts as not bootstrapped: the
 * warehouse port describes an absent dataset and an empty one alike.
 */
export async function bootstrapStatus(ctx: BootstrapStatusCtx, input: { forceRefresh?: boolean } = {}): Promise<BootstrapStatus> {
  const dataset = ctx.tables.dataset ?? 'organizations';
  const s = slot(ctx.warehouse, dataset);
  const now = ctx.clock().getTime();
  if (!input.forceRefresh && s.last && s.last.until > now) return { ...s.last.value, cached: true };
  if (input.forceRefresh || !s.running) {
    const running = check(ctx, dataset).then((value) => {
      // Not after a forget that came while this check ran (a bootstrap may have changed the tables).
      if (cache.get(ctx.warehouse)?.get(dataset) === s) s.last = { value, until: ctx.clock().getTime() + STATUS_TTL_MS };
      return value;
    }).finally(() => { if (s.running === running) s.running = undefined; });
    s.running = running;
  }
  return { ...await s.running!, cached: false };
}

async function check(ctx: BootstrapStatusCtx, dataset: string): Promise<Omit<BootstrapStatus, 'cached'>> {
  const checked_at = ctx.clock().toISOString();
  const layout = await ctx.warehouse.describeDataset(dataset);
  const specs = ctx.tables.tables;
  const expected = new Set(specs.map((t) => t.name));
  const tables_existing = specs.filter((t) => layout.has(t.name)).map((t) => t.name);
  const tables_missing = specs.filter((t) => !layout.has(t.name)).map((t) => t.name);
  const tables_extra = [...layout.keys()].filter((t) => !expected.has(t)).sort();
  const schema_diffs: BootstrapStatus['schema_diffs'] = {};
  for (const spec of specs) {
    const columns = layout.get(spec.name);
    if (!columns) continue;
    const known = new Set(spec.fields.map((f) => f.name.toLowerCase()));
    const missing_columns = missingColumns(spec, columns).map((f) => f.name);
    const extra_columns = columns.filter((c) => !known.has(c.toLowerCase()));
    if (missing_columns.length || extra_columns.length) schema_diffs[spec.name] = { missing_columns, extra_columns };
  }
  const dataset_exists = layout.size > 0;
  const drifted = Object.keys(schema_diffs).length;
  const status: BootstrapStatus['status'] = !dataset_exists ? 'NOT_BOOTSTRAPPED' : tables_missing.length || drifted ? 'OUT_OF_SYNC' : 'SYNCED';
  const message = status === 'NOT_BOOTSTRAPPED'
    ? `Dataset ${dataset} has none of its ${specs.length} tables: run POST /api/v1/admin/bootstrap`
    : status === 'SYNCED'
      ? `Dataset ${dataset}: all ${specs.length} tables match their schema files`
      : [
        tables_missing.length ? `${tables_missing.length} tables missing (POST /api/v1/admin/bootstrap creates them)` : '',
        drifted ? `${drifted} tables differ in columns (POST /api/v1/admin/bootstrap with "sync_schema": true adds the missing ones)` : '',
      ].filter(Boolean).join('; ');
  return { status, dataset, dataset_exists, tables_expected: specs.length, tables_existing, tables_missing, tables_extra, schema_diffs, message, checked_at };
}
