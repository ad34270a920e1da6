import type { Warehouse } from '../../warehouse/port.js';

/**
 * How many rows the dataset's tables hold, or null when the dataset does not exist. Two
 * round-trips (describe, then count). On BigQuery the count reads table metadata
 * (`__TABLES__.row_count`), which costs no scan; rows still in a streaming buffer are not counted
 * there, but the pipelines load with batch jobs.
 */
export async function datasetRowCount(wh: Warehouse, dataset: string): Promise<number | null> {
  const layout = await wh.describeDataset(dataset);
  if (!layout.size) return null;
  const sql = wh.kind === 'bigquery'
    ? `SELECT COALESCE(SUM(row_count), 0) AS n FROM ${wh.table(dataset, '__TABLES__')}`
    : `SELECT ${[...layout.keys()].map((t) => `(SELECT COUNT(*) FROM ${wh.table(dataset, t)})`).join(' + ')} AS n`;
  const [row] = await wh.query({ sql });
  return Number(row?.n ?? 0);
}
