import { lazy } from '../lazy.js';
import type { Warehouse } from './port.js';

/**
 * A warehouse whose adapter (and client library) is loaded by the first call that needs it.
 * BigQuery's client costs ~80 ms of cold start; the probes a new instance answers first
 * (`/health`, `/health/live`) and a cached org key need no warehouse at all. `table` only builds
 * SQL text, so it is given up front and never waits for the load.
 */
export function lazyWarehouse(kind: Warehouse['kind'], table: Warehouse['table'], load: () => Promise<Warehouse>): Warehouse {
  const get = lazy(load);
  let loaded: Promise<Warehouse> | undefined;
  const use = () => (loaded = get());
  return {
    kind,
    table,
    ping: async () => (await use()).ping(),
    createDataset: async (dataset) => (await use()).createDataset(dataset),
    dropDataset: async (dataset) => (await use()).dropDataset(dataset),
    describeDataset: async (dataset) => (await use()).describeDataset(dataset),
    createTable: async (dataset, spec) => (await use()).createTable(dataset, spec),
    dropTable: async (dataset, name) => (await use()).dropTable(dataset, name),
    addColumns: async (dataset, name, fields) => (await use()).addColumns(dataset, name, fields),
    query: async (q) => (await use()).query(q),
    execute: async (q) => (await use()).execute(q),
    queryColumnar: async (q) => (await use()).queryColumnar(q),
    loadColumnar: async (dataset, name, rows) => (await use()).loadColumnar(dataset, name, rows),
    // Nothing to close when nothing was ever opened (and closing must not load the library).
    close: async () => { if (loaded) await (await loaded.catch(() => undefined))?.close(); },
  };
}
