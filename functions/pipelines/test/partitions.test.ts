import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import type { Query, Warehouse } from '@cloudact/shared/warehouse/port';
import { seedPipelineRuns } from '@cloudact/shared/pipelines/seed/seed';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { pipelinesApp } from './support/app.js';

/** A warehouse that records every statement's SQL. */
function recording(inner: Warehouse): Warehouse & { sql: string[] } {
  const sql: string[] = [];
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'sql') return sql;
      const v = Reflect.get(target, prop, receiver) as unknown;
      if ((prop === 'query' || prop === 'execute') && typeof v === 'function') return (q: Query) => { sql.push(q.sql); return (v as (q: Query) => unknown).call(target, q); };
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as Warehouse & { sql: string[] };
}

describe('run history reads filter on the partition column and the tenant (the original scanned everything)', () => {
  it('every statement on runs and steps bounds start_time, on DQ results ingestion_date, and all carry org_id', async () => {
    const wh = recording(await DuckDbWarehouse.open(':memory:'));
    const s = await pipelinesApp('scan_co', { warehouse: wh });
    await seedPipelineRuns(testCtx(s.deps), { orgSlug: s.org, days: 2 });
    const run = (await s.call('GET', `/api/v1/pipelines/${s.org}/runs?limit=1`)).body.runs[0].pipeline_logging_id as string;
    wh.sql.length = 0;
    for (const path of ['runs', `runs/${run}`, `runs/${run}/steps`, `runs/${run}/dq-results`, `runs/${run}/download?format=csv`]) {
      expect((await s.call('GET', `/api/v1/pipelines/${s.org}/${path}`)).status, path).toBe(200);
    }
    expect((await s.call('GET', `/api/v1/pipelines/status/${s.org}`)).status).toBe(200);
    const reads = wh.sql.filter((q) => /org_meta_(pipeline_runs|step_logs|dq_results)/.test(q));
    expect(reads.length).toBeGreaterThan(8);
    for (const q of reads) {
      expect(q, q).toMatch(/org_id = @org_id/);
      if (/org_meta_dq_results/.test(q)) expect(q, q).toMatch(/ingestion_date BETWEEN @from AND @to/);
      else expect(q, q).toMatch(/start_time >= @from AND start_time < @to/);
    }
  });
});
