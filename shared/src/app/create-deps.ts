import type { OrgKeyVerifier } from '../context/index.js';
import { checkResolvedRootKey, type Config } from '../config.js';
import { createEncryptor } from '../crypto/index.js';
import { createLogger, type Logger } from '../logger.js';
import { AuthFailureLimiter } from '../auth/failure-limit.js';
import { CachedKeyVerifier } from '../orgs/keys/verifier.js';
import { centralTables } from '../warehouse/schemas.js';
import { createRateLimiter } from '../limits/create.js';
import { ReadinessProbe } from './readiness.js';
import { ProfileCache } from '../orgs/profiles/cache.js';
import { resolveSecret } from '../secrets/index.js';
import { bigQueryTableRef } from '../warehouse/bigquery-ref.js';
import { lazyWarehouse } from '../warehouse/lazy.js';
import { metered } from '../warehouse/metering.js';
import type { Warehouse } from '../warehouse/port.js';
import type { AppDeps } from '../context/index.js';
import type { CostExporter } from '../context/exports.js';
import { checkConfiguredFiles } from './config-files.js';
import { devRootKey } from './dev-root-key.js';

export interface DepsOverrides {
  warehouse?: Warehouse;
  logger?: Logger;
  orgKeys?: (deps: Omit<AppDeps, 'orgKeys' | 'profiles'>) => OrgKeyVerifier;
  clock?: () => Date;
}

/**
 * Cold start: the adapters named by config, each imported only when chosen, so a BigQuery
 * deployment never loads DuckDB's native code (and the local default never loads gRPC clients).
 */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<AppDeps> {
  checkConfiguredFiles(config);
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  const [warehouse, encryptor, resolvedKey] = await Promise.all([
    overrides.warehouse ?? openWarehouse(config.warehouse),
    createEncryptor(config.encryption),
    resolveSecret(config.auth.rootKey, config.auth.rootKeySecret),
  ]);
  checkResolvedRootKey(config, resolvedKey);
  const rootKey = resolvedKey ?? (config.environment === 'development' ? devRootKey(config.dataDir) : undefined);
  if (!rootKey) logger.log('WARNING', 'No root key configured: every root route will answer 401');
  const base = { config, warehouse: metered(warehouse), encryptor, logger, rootKey, clock: overrides.clock ?? (() => new Date()) };
  const orgKeys = overrides.orgKeys?.(base)
    ?? new CachedKeyVerifier(base.warehouse, base.clock, { ttlMs: config.orgKeyCacheTtlMs, negativeTtlMs: config.negativeKeyCacheMs });
  return {
    ...base,
    orgKeys,
    profiles: new ProfileCache(base.warehouse, base.clock, config.orgKeyCacheTtlMs),
    authFailures: new AuthFailureLimiter(config.authFailuresPerMinute),
    readiness: new ReadinessProbe(base.warehouse, centralTables, base.clock, 10_000),
    ...(config.rateLimitsEnabled ? { rateLimits: await createRateLimiter(config, logger) } : {}),
    ...(await openExports(config, base.clock)),
  };
}

/** The export job adapter config names; the cloud one's clients load only there. */
async function openExports(config: Config, clock: () => Date): Promise<Pick<AppDeps, 'exports'>> {
  const e = config.exports;
  if (e.kind === 'none') return {};
  if (e.kind === 'local') {
    const { LocalExports } = await import('../costs/exports/local.js');
    return { exports: new LocalExports(e.dir, clock) };
  }
  if (config.warehouse.kind !== 'bigquery') return {};
  const { projectId, location } = config.warehouse;
  // Loaded by the first export call, not at cold start (every function would pay for the Storage client).
  let real: Promise<CostExporter> | undefined;
  const load = () => (real ??= (async () => {
    const [{ BigQuery }, { Storage }, { GcsExports }] = await Promise.all([import('@google-cloud/bigquery'), import('@google-cloud/storage'), import('../costs/exports/gcs.js')]);
    return new GcsExports(new BigQuery({ projectId, location }), new Storage({ projectId }), e.bucket, location);
  })());
  return {
    exports: {
      kind: 'gcs',
      begin: async (job) => (await load()).begin(job),
      state: async (ref) => (await load()).state(ref),
      downloadUrl: async (ref, file, at) => (await load()).downloadUrl(ref, file, at),
    },
  };
}

export async function openWarehouse(config: Config['warehouse']): Promise<Warehouse> {
  if (config.kind === 'duckdb') {
    const { DuckDbWarehouse } = await import('../warehouse/duckdb.js');
    return DuckDbWarehouse.open(config.path);
  }
  const { projectId, location, jobTimeoutMs } = config;
  // Loaded by the first warehouse call, not at cold start: see lazyWarehouse.
  return lazyWarehouse('bigquery', (dataset, table) => bigQueryTableRef(projectId, dataset, table), () => openBigQuery(projectId, location, jobTimeoutMs));
}

async function openBigQuery(projectId: string, location: string, jobTimeoutMs?: number): Promise<Warehouse> {
  const [{ BigQuery }, { BigQueryWarehouse }, { bigQueryClient }, arrow] = await Promise.all([
    import('@google-cloud/bigquery'), import('../warehouse/bigquery.js'), import('../warehouse/bigquery-client.js'), import('../warehouse/bigquery-arrow.js'),
  ]);
  const client = new BigQuery({ projectId, location });
  // The Storage Read API client (gRPC) loads at the first columnar read, not here.
  const reader = arrow.storageArrowReader(arrow.openStorageReadClient(projectId), arrow.destinationFromJobs(client), projectId);
  return new BigQueryWarehouse(bigQueryClient(client), projectId, location, undefined, jobTimeoutMs ? { jobTimeoutMs } : {}, reader);
}
