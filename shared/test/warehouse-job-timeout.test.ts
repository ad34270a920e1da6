import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildFunctionApp } from '../src/app/function.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { defineRoute, type RouteDef } from '../src/http/route.js';
import { BigQueryWarehouse, type BigQueryClientLike, type BqJobRequest } from '../src/warehouse/bigquery.js';
import { testDeps } from './support/deps.js';

describe('WAREHOUSE_JOB_TIMEOUT_MS', () => {
  const bq = { WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'p' };

  it('defaults to 50 s, below Cloud Functions\' 60 s deadline, and can be set', () => {
    expect(loadConfig(bq).warehouse).toMatchObject({ kind: 'bigquery', jobTimeoutMs: 50_000 });
    expect(loadConfig({ ...bq, WAREHOUSE_JOB_TIMEOUT_MS: '20000' }).warehouse).toMatchObject({ jobTimeoutMs: 20_000 });
  });

  it('refuses a timeout too short to run any job', () => {
    expect(() => loadConfig({ ...bq, WAREHOUSE_JOB_TIMEOUT_MS: '500' })).toThrow(ConfigError);
  });
});

describe('the request deadline', () => {
  /** A BigQuery client whose jobs finish at once, except that `slow` of them takes `slowMs` (a clock skew). */
  function slowClient(slowMs: number) {
    const jobs: BqJobRequest[] = [];
    let skew = 0;
    const client: BigQueryClientLike = {
      async query() { return [[]]; },
      async createQueryJob(request) { jobs.push(request); return [{}]; },
      async getQueryResults(jobId) {
        if (jobs.findIndex((j) => j.jobId === jobId) === 0) skew += slowMs; // the first job is the slow one
        return { complete: true, numDmlAffectedRows: '1' };
      },
      async cancelJob() { return [{}]; },
      async createDataset() { return [{}]; },
      dataset: () => ({ createTable: async () => [{}], delete: async () => [{}] }),
    };
    const wh = new BigQueryWarehouse(client, 'proj-1', 'EU', undefined, { jobTimeoutMs: 50_000, pollSliceMs: 10_000, confirmMs: 2_000, now: () => Date.now() + skew });
    return { wh, jobs };
  }
  const routes: RouteDef[] = [defineRoute({
    method: 'GET', path: '/t/two-jobs', auth: 'public', summary: 'two writes, one after the other', response: z.object({ ok: z.boolean() }),
    async handler({ deps }) {
      await deps.warehouse.execute({ sql: 'UPDATE t SET a = 1 WHERE TRUE' });
      await deps.warehouse.execute({ sql: 'UPDATE t SET a = 2 WHERE TRUE' });
      return { ok: true };
    },
  })];

  it('is min(gateway deadline, function timeout) minus a margin, and is configurable', () => {
    expect(loadConfig({}).requestDeadlineMs).toBe(55_000);
    expect(loadConfig({ FUNCTION_TIMEOUT_SECONDS: '30' }).requestDeadlineMs).toBe(25_000);
    expect(loadConfig({ FUNCTION_TIMEOUT_SECONDS: '120', ONBOARDING_LEASE_SECONDS: '300' }).requestDeadlineMs).toBe(55_000);
    expect(loadConfig({ GATEWAY_DEADLINE_SECONDS: '30', REQUEST_DEADLINE_MARGIN_MS: '2000' }).requestDeadlineMs).toBe(28_000);
    expect(() => loadConfig({ FUNCTION_TIMEOUT_SECONDS: '5', REQUEST_DEADLINE_MARGIN_MS: '5000' })).toThrow(/REQUEST_DEADLINE_MARGIN_MS/);
  });

  it('the second job of a slow request gets only what is left of the request\'s deadline', async () => {
    const { wh, jobs } = slowClient(30_000);
    const deps = await testDeps({ FUNCTION_TIMEOUT_SECONDS: '120', ONBOARDING_LEASE_SECONDS: '300' }, { warehouse: wh });
    const res = await buildFunctionApp('t', routes, deps).fetch(new Request('http://fn/t/two-jobs'));
    expect(res.status).toBe(200);
    expect(jobs).toHaveLength(2);
    expect(jobs[0]!.jobTimeoutMs).toBe(50_000); // the configured job timeout: less than the 55 s left
    // 55 s for the request, 30 s of it spent by the first job: the second gets the 25 s left, not 50 s.
    expect(jobs[1]!.jobTimeoutMs).toBeLessThanOrEqual(25_000);
    expect(jobs[1]!.jobTimeoutMs).toBeGreaterThan(24_000);
  });
});
