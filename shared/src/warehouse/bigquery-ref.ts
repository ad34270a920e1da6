import { assertIdentifier } from './port.js';

/**
 * A quoted, fully qualified BigQuery table reference. Apart from the adapter so that a function
 * can name tables before the BigQuery client library is loaded (see `lazyWarehouse`).
 */
export function bigQueryTableRef(projectId: string, dataset: string, table: string): string {
  return `\`${projectId}.${assertIdentifier(dataset, 'dataset')}.${assertIdentifier(table, 'table')}\``;
}
