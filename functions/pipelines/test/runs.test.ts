import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { pipelineSpec } from '@cloudact/shared/pipelines/tables';
import { seedPipelineRuns } from '@cloudact/shared/pipelines/seed/seed';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { pipelinesApp, type PipelinesApp } from './support/app.js';

/** A run as the pipeline service writes it, with steps appended RUNNING then final. */
async function writeRun(s: PipelinesApp, r: { id: string; pipeline_id?: string; status: string; start: string; trigger_by?: string }, steps: { n: number; final?: string }[] = []) {
  const base = { org_slug: s.org, org_id: s.orgId };
  await insertRows(s.deps.warehouse, 'organizations', pipelineSpec('org_meta_pipeline_runs'), [{
    ...base, pipeline_logging_id: r.id, pipeline_id: r.pipeline_id ?? 'openai_usage_cost', status: r.status, trigger_type: 'api', trigger_by: r.trigger_by ?? 'pipeline_service',
    start_time: new Date(r.start), run_date: r.start.slice(0, 10), parameters: JSON.stringify({ date: r.start.slice(0, 10) }), run_metadata: JSON.stringify({ v: 1 }),
  }]);
  const rows = steps.flatMap((st) => {
    const common = { ...base, step_logging_id: `${r.id}-s${st.n}`, pipeline_logging_id: r.id, step_name: `step_${st.n}`, step_type: 'transform', step_index: st.n, start_time: new Date(Date.parse(r.start) + st.n * 1000) };
    return [{ ...common, status: 'RUNNING' }, ...(st.final ? [{ ...common, status: st.final, end_time: new Date(Date.parse(r.start) + st.n * 1000 + 500), duration_ms: 500, rows_processed: 10 }] : [])];
  });
  if (rows.length) await insertRows(s.deps.warehouse, 'organizations', pipelineSpec('org_meta_step_logs'), rows);
}

describe('GET /api/v1/pipelines/{org}/runs', () => {
  it('lists seeded runs newest first, paged, filtered; the range defaults to the last 30 days', async () => {
    const s = await pipelinesApp('runs_co');
    const seeded = await seedPipelineRuns(testCtx(s.deps), { orgSlug: s.org, days: 3 });
    expect(seeded.runs).toBeGreaterThanOrEqual(16); // 8 pipelines on the two whole local days so far (today's start at 02:00 local, not yet)
    await writeRun(s, { id: 'old-run', status: 'SUCCESS', start: '2026-01-15T10:00:00Z' });

    const page = await s.call('GET', `/api/v1/pipelines/${s.org}/runs`);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toMatchObject({ total: seeded.runs, limit: 20, offset: 0, start_date: '2026-02-09', end_date: '2026-03-10' });
    const starts = page.body.runs.map((r: { start_time: string }) => r.start_time);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(page.body.runs[0]).toEqual(expect.objectContaining({ pipeline_logging_id: expect.any(String), parameters: expect.objectContaining({ date: expect.any(String) }) }));

    const older = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?start_date=2026-01-01&end_date=2026-01-31`);
    expect(older.body.runs.map((r: { pipeline_logging_id: string }) => r.pipeline_logging_id)).toEqual(['old-run']);

    const failed = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?status_filter=failed&limit=100`);
    expect(failed.body.runs.every((r: { status: string }) => r.status === 'FAILED')).toBe(true);
    const openai = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?pipeline_id=openai&limit=100`);
    expect(openai.body.total).toBeGreaterThan(0);
    expect(openai.body.runs.every((r: { pipeline_id: string }) => r.pipeline_id.includes('openai'))).toBe(true);
    const paged = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?limit=5&offset=5`);
    expect(paged.body.runs.map((r: { pipeline_logging_id: string }) => r.pipeline_logging_id)).toEqual(
      (await s.call('GET', `/api/v1/pipelines/${s.org}/runs?limit=10`)).body.runs.slice(5).map((r: { pipeline_logging_id: string }) => r.pipeline_logging_id));
  });

  it('% and _ in a filter are plain characters (the original passed them to LIKE as wildcards)', async () => {
    const s = await pipelinesApp('like_co');
    await writeRun(s, { id: 'r1', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: '2026-03-10T10:00:00Z', trigger_by: 'ops_team' });
    await writeRun(s, { id: 'r2', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: '2026-03-10T11:00:00Z', trigger_by: 'ops%team' });
    const pb = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?pipeline_id=${encodeURIComponent('p%b')}`); expect(pb.body.total, pb.text).toBe(0);
    expect((await s.call('GET', `/api/v1/pipelines/${s.org}/runs?pipeline_id=${encodeURIComponent('g_b')}`)).body.total).toBe(0);
    const pct = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?trigger_by=${encodeURIComponent('ops%')}`);
    expect(pct.body.runs.map((r: { pipeline_logging_id: string }) => r.pipeline_logging_id)).toEqual(['r2']);
    const under = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?trigger_by=${encodeURIComponent('s_t')}`);
    expect(under.body.runs.map((r: { pipeline_logging_id: string }) => r.pipeline_logging_id)).toEqual(['r1']);
  });

  it('bad input is 422 naming the field', async () => {
    const s = await pipelinesApp('bad_co');
    const cases: [string, string][] = [['limit=101', 'query.limit'], ['limit=0', 'query.limit'], ['offset=-1', 'query.offset'], ['start_date=2026-03-10&end_date=2026-03-01', 'query.start_date'], ['start_date=2024-01-01&end_date=2026-03-01', 'query.start_date'], ['end_date=yesterday', 'query.end_date']];
    for (const [q, field] of cases) {
      const r = await s.call('GET', `/api/v1/pipelines/${s.org}/runs?${q}`);
      expect(r.status, q).toBe(422);
      expect(Object.keys(r.body.details.fields), q).toContain(field);
    }
  });
});

describe('a run, its steps and its DQ results', () => {
  it('shows each step\'s final row; a step whose final row never came is RUNNING while the run runs, LOST after', async () => {
    const s = await pipelinesApp('steps_co');
    await writeRun(s, { id: 'done-run', status: 'FAILED', start: '2026-03-10T10:00:00Z' }, [{ n: 0, final: 'SUCCESS' }, { n: 1, final: 'FAILED' }, { n: 2 }]);
    await writeRun(s, { id: 'live-run', status: 'RUNNING', start: '2026-03-10T19:00:00Z' }, [{ n: 0, final: 'SUCCESS' }, { n: 1 }]);
    await insertRows(s.deps.warehouse, 'organizations', pipelineSpec('org_meta_dq_results'), [{
      org_slug: s.org, org_id: s.orgId, dq_result_id: 'dq1', pipeline_logging_id: 'done-run', target_table: 'cost_data_standard_1_3', dq_config_id: 'c1',
      executed_at: new Date('2026-03-10T10:05:00Z'), expectations_passed: 5, expectations_failed: 1, failed_expectations: JSON.stringify([{ expectation: 'not_null' }]), overall_status: 'WARNING', ingestion_date: '2026-03-10',
    }]);
    const done = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run`);
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ pipeline_logging_id: 'done-run', status: 'FAILED', run_metadata: { v: 1 } });
    expect(done.body.steps.map((x: { status: string }) => x.status)).toEqual(['SUCCESS', 'FAILED', 'LOST']);
    expect(done.body.dq_results).toEqual([expect.objectContaining({ dq_result_id: 'dq1', expectations_failed: 1, overall_status: 'WARNING' })]);
    const live = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/live-run`);
    expect(live.body.steps.map((x: { status: string }) => x.status)).toEqual(['SUCCESS', 'RUNNING']);

    const lost = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run/steps?status_filter=lost`);
    expect(lost.body).toMatchObject({ total: 1, steps: [{ step_index: 2, status: 'LOST' }] });
    const dq = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run/dq-results`);
    expect(dq.body).toMatchObject({ total: 1 });
    expect((await s.call('GET', `/api/v1/pipelines/${s.org}/runs/no-such-run`)).status).toBe(404);
    expect((await s.call('GET', `/api/v1/pipelines/${s.org}/runs/no-such-run/steps`)).status).toBe(404);

    const json = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run/download?format=json`);
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="pipeline_run_done-run.json"');
    expect(json.body.steps).toHaveLength(3);
    const csv = await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run/download?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.text.trim().split('\r\n')).toHaveLength(4);
    expect((await s.call('GET', `/api/v1/pipelines/${s.org}/runs/done-run/download?format=xml`)).status).toBe(422);
  });
});

describe('GET /api/v1/pipelines/status/{org}', () => {
  it('per registry pipeline: last run, ran and succeeded today, in the org\'s local day', async () => {
    const s = await pipelinesApp('status_co');
    // 18:00 UTC on the 10th is 23:30 on the 10th in Kolkata: yesterday there at 20:00 UTC.
    await writeRun(s, { id: 'y', pipeline_id: 'gcp_billing', status: 'SUCCESS', start: '2026-03-10T18:00:00Z' });
    await writeRun(s, { id: 't', pipeline_id: 'openai_usage_cost', status: 'FAILED', start: '2026-03-10T18:45:00Z' });
    const r = await s.call('GET', `/api/v1/pipelines/status/${s.org}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ date: '2026-03-11', timezone: 'Asia/Kolkata' });
    const by = Object.fromEntries(r.body.pipelines.map((p: { pipeline_id: string }) => [p.pipeline_id, p]));
    expect(by.gcp_billing).toMatchObject({ last_status: 'SUCCESS', ran_today: false, succeeded_today: false });
    expect(by.openai_usage_cost).toMatchObject({ last_status: 'FAILED', ran_today: true, succeeded_today: false, runs_today: 1 });
    expect(by.gemini_usage_cost).toMatchObject({ last_run: null, ran_today: false });
  });
});

describe('POST .../runs/{id}/retry', () => {
  it('without the pipeline service\'s URL: 501 saying so, never a false success', async () => {
    const s = await pipelinesApp('retry_none');
    await writeRun(s, { id: 'r1', status: 'FAILED', start: '2026-03-10T10:00:00Z' });
    const r = await s.call('POST', `/api/v1/pipelines/${s.org}/runs/r1/retry`);
    expect(r.status).toBe(501);
    expect(r.body).toMatchObject({ success: false, new_pipeline_logging_id: null, message: expect.stringContaining('PIPELINE_SERVICE_BASE_URL') });
  });

  it('with it: forwards the run\'s pipeline and parameters with the org\'s key and answers the new run id', async () => {
    const seen: { url: string; key: string | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        seen.push({ url: req.url!, key: req.headers['x-api-key'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pipeline_logging_id: 'new-run-1', status: 'PENDING' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const s = await pipelinesApp('retry_co');
      s.deps.config.integrations.baseUrlOverrides.PIPELINE_SERVICE_BASE_URL = url;
      await writeRun(s, { id: 'r1', pipeline_id: 'openai_usage_cost', status: 'FAILED', start: '2026-03-10T10:00:00Z' });
      const r = await s.call('POST', `/api/v1/pipelines/${s.org}/runs/r1/retry`);
      expect(r.status, r.text).toBe(200);
      expect(r.body).toMatchObject({ success: true, new_pipeline_logging_id: 'new-run-1', pipeline_id: 'openai_usage_cost' });
      expect(seen).toEqual([{ url: '/api/v1/pipelines/run/retry_co/openai/usage/usage_cost', key: s.key, body: expect.stringContaining('"date":"2026-03-10"') }]);
    } finally {
      server.close();
    }
  });
});
