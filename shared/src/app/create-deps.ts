import type { OrgKeyVerifier } from '../auth/principal.js';
import { checkResolvedRootKey, type Config } from '../config.js';
import { createEncryptor } from '../crypto/index.js';
import { createLogger, type Logger } from '../logger.js';
import { OrgKeyStore } from '../orgs/key-store.js';
import { ProfileCache } from '../orgs/profile-cache.js';
import { resolveSecret } from '../secrets/index.js';
import { metered } from '../warehouse/metering.js';
import type { Warehouse } from '../warehouse/port.js';
import type { AppDeps } from './deps.js';
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
    ?? new OrgKeyStore(base.warehouse, base.clock, { ttlMs: config.orgKeyCacheTtlMs, flushMs: config.keyUsageFlushMs, logger });
  return { ...base, orgKeys, profiles: new ProfileCache(base.warehouse, base.clock, config.orgKeyCacheTtlMs) };
}

export async function openWarehouse(config: Config['warehouse']): Promise<Warehouse> {
  if (config.kind === 'duckdb') {
    const { DuckDbWarehouse } = await import('../warehouse/duckdb.js');
    return DuckDbWarehouse.open(config.path);
  }
  const [{ BigQuery }, { BigQueryWarehouse }] = await Promise.all([import('@google-cloud/bigquery'), import('../warehouse/bigquery.js')]);
  const client = new BigQuery({ projectId: config.projectId, location: config.location });
  return new BigQueryWarehouse({
    query: (req) => client.query(req),
    createQueryJob: async (req) => {
      const [job] = await client.createQueryJob(req);
      return [{ getQueryResults: () => job.getQueryResults() as never }];
    },
    createDataset: (id, options) => client.createDataset(id, options),
    dataset: (id) => {
      const ds = client.dataset(id);
      return { createTable: (tid, resource) => ds.createTable(tid, resource), delete: (o) => ds.delete(o) };
    },
  }, config.projectId, config.location);
}
