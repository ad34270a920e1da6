import type { BigQuery, Query as BqLibQuery } from '@google-cloud/bigquery';
import type { BigQueryClientLike, BqQueryResults } from './bigquery.js';
import type { Row } from './port.js';

/**
 * The real @google-cloud/bigquery client behind the adapter's boundary. Kept apart from the
 * adapter (which never imports the library) and driven by the wire tests through the real
 * library against a local server speaking BigQuery's REST API.
 */
export function bigQueryClient(client: BigQuery): BigQueryClientLike {
  return {
    query: async (request, options) => {
      const [rows] = await client.query(request as BqLibQuery, options ?? {});
      return [rows as Row[]];
    },
    // jobId + jobTimeoutMs (→ configuration.jobTimeoutMs) also keep the library off the jobs.query
    // path, which could not carry either.
    createQueryJob: (request) => client.createQueryJob(request as BqLibQuery),
    getQueryResults: async (jobId, { location, timeoutMs }): Promise<BqQueryResults> => {
      try {
        // One page, no rows wanted: DML and DDL jobs have none; only completion and the count matter.
        const [, , response] = await client.job(jobId, { location }).getQueryResults({ timeoutMs, autoPaginate: false, maxResults: 0 });
        const res = response as { jobComplete?: boolean; numDmlAffectedRows?: string } | undefined;
        return { complete: res?.jobComplete !== false, numDmlAffectedRows: res?.numDmlAffectedRows };
      } catch (err) {
        // With a timeout the library turns "not done yet" into this error (no code); it is a
        // normal poll answer, not a failure.
        if (isNotYetComplete(err)) return { complete: false };
        throw err;
      }
    },
    cancelJob: (jobId, { location }) => client.job(jobId, { location }).cancel(),
    createDataset: (id, options) => client.createDataset(id, options),
    dataset: (id) => {
      const ds = client.dataset(id);
      return { createTable: (tid, resource) => ds.createTable(tid, resource), delete: (o) => ds.delete(o) };
    },
  };
}

function isNotYetComplete(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === undefined && /^The query did not complete before \d+ms$/.test(err.message);
}
