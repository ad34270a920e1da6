import type { Ctx } from '../context/index.js';
import { BadRequestError, ConflictError } from '../errors.js';
import type { Logger } from '../logger.js';
import { writeAudit } from '../orgs/audit/store.js';
import { ensureIdempotencyLock } from '../idempotency/store.js';
import { ensureClaimLock } from '../orgs/profiles/claim.js';
import { backfillTenants } from '../orgs/identity-backfill.js';
import { syncOrgDatasets, type OrgDatasetSync } from '../orgs/onboarding/sync-datasets.js';
import { CENTRAL } from '../orgs/tables.js';
import { forgetBootstrapStatus } from './status.js';
import type { DatasetLayout, Warehouse } from '../warehouse/port.js';
import { missingColumns, type TableSet } from '../warehouse/schemas.js';

export interface BootstrapInput {
  force_recreate_dataset?: boolean;
  force_recreate_tables?: boolean;
  /** Add columns that a table lacks compared with its schema file (never drops any). */
  sync_schema?: boolean;
  /** Must be the dataset name for a destructive run in production. */
  confirm?: string;
}

/**
 * What bootstrap needs of the verb context. Narrower than `Ctx` because it also runs in-process
 * from the CLI (scripts/bootstrap-cli.ts) with a system actor, before any org exists.
 */
export interface BootstrapCtx extends Pick<Ctx, 'warehouse' | 'logger' | 'clock' | 'requestId' | 'actor'>, Partial<Pick<Ctx, 'clientRequestId'>> {
  environment: 'development' | 'staging' | 'production';
  tables: TableSet;
  /** Called once a destructive run has dropped tables: every cache describing them must go. */
  forgetCaches?: () => void;
}

/** @deprecated name kept for callers outside this package; same as BootstrapCtx. */
export type BootstrapDeps = BootstrapCtx;

/**
 * Destructive runs (drop and recreate) in this process, by dataset. Two at once interleave
 * drops and creates and leave a half-made dataset; the second is refused with 409 instead.
 * Per process: on Cloud Functions two instances could still overlap, which is why a
 * destructive run in production also needs the explicit `confirm`.
 */
const destructiveRuns = new Set<string>();

export interface BootstrapResult {
  status: 'SUCCESS';
  dataset: string;
  dataset_created: boolean;
  total_tables: number;
  tables_created: string[];
  tables_existed: string[];
  tables_recreated: string[];
  /** Existing tables missing columns that their schema file has. */
  schema_drift: { table: string; missing_columns: string[] }[];
  columns_added: { table: string; columns: string[] }[];
  /** With `sync_schema` on the central dataset: every live org's dataset brought up to the schema files. */
  org_datasets_synced: OrgDatasetSync[];
  /** With `sync_schema` on the central dataset: rows without a tenant given the one they were written under (orgs/identity-backfill.ts). */
  tenants_backfilled: { table: string; rows: number }[];
  message: string;
}

/**
 * Creates the central dataset and its meta tables. Round-trips for a fresh run: (1) create the
 * dataset and describe it, in parallel; (2) create every missing table, in parallel; (3) the
 * audit row and the onboarding lock row, in parallel. Safe to race: creating an existing dataset or table reports "existed" instead of
 * failing, so two concurrent bootstraps both succeed and create each table once.
 */
export async function bootstrapCentral(ctx: BootstrapCtx, input: BootstrapInput): Promise<BootstrapResult> {
  const deps = ctx;
  const dataset = deps.tables.dataset ?? 'organizations';
  const destructive = Boolean(input.force_recreate_dataset || input.force_recreate_tables);
  if (destructive && deps.environment === 'production' && input.confirm !== dataset) {
    throw new BadRequestError(`Recreating tables in production needs "confirm": "${dataset}" in the body`, { confirm: dataset });
  }
  if (!destructive) return run(ctx, input, dataset).finally(() => forgetBootstrapStatus(ctx.warehouse, dataset));
  if (destructiveRuns.has(dataset)) {
    throw new ConflictError(`A destructive bootstrap of ${dataset} is already running; try again when it has finished`, { reason: 'bootstrap_running' }, { retryAfterSeconds: 10 });
  }
  destructiveRuns.add(dataset);
  try {
    return await run(ctx, input, dataset);
  } finally {
    // Also after a failure: whatever was dropped is gone, and what was cached of it is wrong.
    deps.forgetCaches?.();
    forgetBootstrapStatus(ctx.warehouse, dataset);
    destructiveRuns.delete(dataset);
  }
}

async function run(deps: BootstrapCtx, input: BootstrapInput, dataset: string): Promise<BootstrapResult> {
  const wh = deps.warehouse;

  let datasetCreated: boolean;
  let layout: DatasetLayout;
  if (input.force_recreate_dataset) {
    await wh.dropDataset(dataset);
    datasetCreated = await wh.createDataset(dataset);
    layout = new Map();
  } else {
    // Safe in parallel: if the dataset did not exist, there is nothing to describe.
    [datasetCreated, layout] = await Promise.all([wh.createDataset(dataset), wh.describeDataset(dataset)]);
  }

  const specs = deps.tables.tables;
  const present = specs.filter((s) => layout.has(s.name));
  const recreate = input.force_recreate_tables ? present : [];
  if (recreate.length) await Promise.all(recreate.map((s) => wh.dropTable(dataset, s.name)));

  const kept = present.filter((s) => !recreate.includes(s));
  const drift = kept
    .map((s) => ({ table: s.name, missing: missingColumns(s, layout.get(s.name)!) }))
    .filter((d) => d.missing.length);

  const toCreate = specs.filter((s) => !kept.includes(s));
  const [created] = await Promise.all([
    Promise.all(toCreate.map(async (s) => ((await wh.createTable(dataset, s)) ? s.name : undefined))),
    input.sync_schema ? Promise.all(drift.map((d) => wh.addColumns(dataset, d.table, d.missing))) : undefined,
  ]);
  const tablesCreated = created.filter((n): n is string => n !== undefined);
  // A table another bootstrap created between our describe and our create counts as existing.
  const tablesExisted = specs.map((s) => s.name).filter((n) => !tablesCreated.includes(n));

  const result: BootstrapResult = {
    status: 'SUCCESS',
    dataset,
    dataset_created: datasetCreated,
    total_tables: specs.length,
    tables_created: tablesCreated,
    tables_existed: tablesExisted,
    tables_recreated: recreate.map((s) => s.name),
    schema_drift: drift.map((d) => ({ table: d.table, missing_columns: d.missing.map((f) => f.name) })),
    columns_added: input.sync_schema ? drift.map((d) => ({ table: d.table, columns: d.missing.map((f) => f.name) })) : [],
    ...await syncedOrgs(deps, input.sync_schema === true && dataset === CENTRAL),
    message: summary(dataset, tablesCreated.length, tablesExisted.length, drift.length, Boolean(input.sync_schema)),
  };
  await Promise.all([
    audit(deps, dataset, result),
    // The row every onboarding claim updates, so BigQuery serialises claims (see orgs/claim.ts).
    // If it cannot be written (say org_profiles lacks a column until sync_schema), onboarding
    // refuses with a 503 that says to run bootstrap: logged here, not fatal.
    dataset === CENTRAL
      ? ensureClaimLock(deps.warehouse, deps.clock()).catch((err: unknown) => deps.logger.log('ERROR', 'bootstrap: onboarding lock row not written', { error: err, request_id: deps.requestId }))
      : undefined,
    // Likewise the row every Idempotency-Key claim updates (see idempotency/store.ts).
    dataset === CENTRAL
      ? ensureIdempotencyLock(deps.warehouse, deps.clock()).catch((err: unknown) => deps.logger.log('ERROR', 'bootstrap: idempotency lock row not written', { error: err, request_id: deps.requestId }))
      : undefined,
  ]);
  return result;
}


function summary(dataset: string, created: number, existed: number, drifted: number, synced: boolean): string {
  const parts = [`Dataset ${dataset}: ${created} tables created, ${existed} already existed`];
  if (drifted) parts.push(synced ? `missing columns added to ${drifted} tables` : `${drifted} tables lack columns (send "sync_schema": true to add them)`);
  return parts.join('; ') + '.';
}

/** Bootstrap is an admin action on the whole system; its audit row is kept under org `_system`. */
async function audit(deps: BootstrapCtx, dataset: string, result: BootstrapResult): Promise<void> {
  const requestId = deps.requestId;
  try {
    await writeAudit(deps, {
      orgSlug: '_system',
      action: 'BOOTSTRAP',
      resourceType: 'DATASET',
      resourceId: dataset,
      details: { created: result.tables_created, recreated: result.tables_recreated, columns_added: result.columns_added },
    });
  } catch (err) {
    // The tables exist either way; a lost audit row must not turn a done bootstrap into an error.
    deps.logger.log('ERROR', 'bootstrap: audit row not written', { error: err, request_id: requestId });
  }
}

/** The org datasets and the tenant column, brought up to the schema files once the central columns exist. */
async function syncedOrgs(deps: BootstrapCtx, sync: boolean): Promise<Pick<BootstrapResult, 'org_datasets_synced' | 'tenants_backfilled'>> {
  if (!sync) return { org_datasets_synced: [], tenants_backfilled: [] };
  const [orgDatasets, tenants] = await Promise.all([syncOrgDatasets(deps), backfillTenants(deps.warehouse)]);
  return { org_datasets_synced: orgDatasets, tenants_backfilled: tenants };
}
