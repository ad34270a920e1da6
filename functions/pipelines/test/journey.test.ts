import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { pipelineSpec } from '@cloudact/shared/pipelines/tables';
import * as onboardFn from '../../onboard/src/routes.js';
import * as pipelinesFn from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * The pipeline service's side of a run, over a real socket through the local gateway (the pipelines
 * function and onboard's quota route, which reads what admission wrote): list the
 * registry, validate with its exact body, write the run and step rows as it does, complete
 * (without a reservation id, as it does), and see the run, its steps, the status and the quota
 * move, in the org's local day (Asia/Kolkata), then across its local midnight (18:30 UTC).
 */
const ORG = 'journey_co';
const PIPELINE = 'saas_subscription_saas_cost';
let server: Server;
let url: string;
let key: string;
let deps: Awaited<ReturnType<typeof testDeps>>;
/** The two functions the pipeline service and the quota page talk to, behind one gateway. */
const tables = [
  { name: 'onboard', prefixes: onboardFn.prefixes, routes: onboardFn.routes },
  { name: 'pipelines', prefixes: pipelinesFn.prefixes, routes: pipelinesFn.routes },
];
const time = settableClock(Date.parse('2026-03-10T20:00:00Z')); // 01:30 on 11 March in Kolkata

beforeAll(async () => {
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { default_timezone: 'Asia/Kolkata', default_currency: 'INR', subscription_plan: 'STARTER' })).api_key;
  ({ server, url } = await createLocalGateway(tables, deps).listen(0));
}, 30_000);
afterAll(() => new Promise<void>((r) => server?.close(() => r())));

async function http<T = Record<string, any>>(method: string, path: string, body?: unknown, withKey = true): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    method, headers: { ...(withKey ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T };
}

/** What the pipeline service writes for one run: the run row (RUNNING, then its end), each step as a RUNNING row and a final row. */
async function pipelineServiceRun(id: string, start: Date, end: Date) {
  const orgId = (await deps.profiles.get(ORG)).org_id;
  const base = { org_slug: ORG, org_id: orgId };
  await insertRows(deps.warehouse, 'organizations', pipelineSpec('org_meta_pipeline_runs'), [{
    ...base, pipeline_logging_id: id, pipeline_id: PIPELINE, status: 'RUNNING', trigger_type: 'scheduled', trigger_by: 'cloud_scheduler', start_time: start,
    run_date: start.toISOString().slice(0, 10), parameters: JSON.stringify({ date: start.toISOString().slice(0, 10) }),
  }]);
  const steps = ['compute_daily_costs', 'load_cost_data'].flatMap((name, i) => {
    const common = { ...base, step_logging_id: `${id}-${i}`, pipeline_logging_id: id, step_name: name, step_type: 'transform', step_index: i, start_time: new Date(start.getTime() + i * 1000) };
    return [{ ...common, status: 'RUNNING' }, { ...common, status: 'SUCCESS', end_time: new Date(start.getTime() + i * 1000 + 900), duration_ms: 900, rows_processed: 12 }];
  });
  await insertRows(deps.warehouse, 'organizations', pipelineSpec('org_meta_step_logs'), steps);
  await deps.warehouse.execute({
    sql: `UPDATE ${deps.warehouse.table('organizations', 'org_meta_pipeline_runs')} SET status = 'SUCCESS', end_time = @end, duration_ms = @ms WHERE org_slug = @org AND pipeline_logging_id = @id`,
    params: { end, ms: end.getTime() - start.getTime(), org: ORG, id },
  });
}

describe('a pipeline run, as the pipeline service makes it', () => {
  it('the registry is public and lists the pipeline', async () => {
    const r = await http('GET', `/api/v1/validator/pipelines?provider=saas_subscription`, undefined, false);
    expect(r.status).toBe(200);
    expect(r.body.pipelines.map((p: { id: string }) => p.id)).toEqual([PIPELINE]);
  });

  it('validate (its exact body) admits the run on the org\'s local day; the quota shows it running', async () => {
    const v = await http('POST', `/api/v1/validator/validate/${ORG}`, { pipeline_id: PIPELINE, include_credentials: false });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ valid: true, reservation_date: '2026-03-11', quota: { pipelines_run_today: 1, concurrent_pipelines_running: 1 } });
    const q = await http('GET', `/api/v1/organizations/${ORG}/quota`);
    expect(q.body).toMatchObject({ date: '2026-03-11', daily: { used: 1 }, concurrent: { running: 1 } });
  });

  it('the run rows appear; complete (no reservation id) releases the slot and counts the success', async () => {
    const start = time.clock();
    time.advance(60_000);
    await pipelineServiceRun('run-1', start, time.clock());
    const done = await http('POST', `/api/v1/validator/complete/${ORG}?pipeline_status=SUCCESS&pipeline_logging_id=run-1`);
    expect(done.body).toMatchObject({ success: true, released: true });

    const runs = await http('GET', `/api/v1/pipelines/${ORG}/runs`);
    expect(runs.body.runs).toEqual([expect.objectContaining({ pipeline_logging_id: 'run-1', status: 'SUCCESS', duration_ms: 60_000 })]);
    const run = await http('GET', `/api/v1/pipelines/${ORG}/runs/run-1`);
    expect(run.body.steps.map((s: { status: string }) => s.status)).toEqual(['SUCCESS', 'SUCCESS']);
    const status = await http('GET', `/api/v1/pipelines/status/${ORG}`);
    expect(status.body.pipelines.find((p: { pipeline_id: string }) => p.pipeline_id === PIPELINE)).toMatchObject({ ran_today: true, succeeded_today: true, last_status: 'SUCCESS' });
    const q = await http('GET', `/api/v1/organizations/${ORG}/quota`);
    expect(q.body).toMatchObject({ daily: { used: 1 }, concurrent: { running: 0 }, succeeded_today: 1 });
  });

  it('a run admitted at 23:50 local and completed at 00:10 counts on the day it was admitted; the new day starts at zero', async () => {
    time.set('2026-03-11T18:20:00Z'); // 23:50 on the 11th in Kolkata
    const v = await http('POST', `/api/v1/validator/validate/${ORG}`, { pipeline_id: PIPELINE });
    expect(v.body).toMatchObject({ valid: true, reservation_date: '2026-03-11', quota: { pipelines_run_today: 2 } });
    const start = time.clock();
    time.set('2026-03-11T18:40:00Z'); // 00:10 on the 12th
    await pipelineServiceRun('run-2', start, time.clock());
    expect((await http('POST', `/api/v1/validator/complete/${ORG}?pipeline_status=SUCCESS&reservation_id=${v.body.reservation_id}`)).body.released).toBe(true);

    const q = await http('GET', `/api/v1/organizations/${ORG}/quota`);
    expect(q.body).toMatchObject({ date: '2026-03-12', daily: { used: 0 }, monthly: { used: 2 }, concurrent: { running: 0 }, succeeded_today: 0 });
    const status = await http('GET', `/api/v1/pipelines/status/${ORG}`);
    expect(status.body).toMatchObject({ date: '2026-03-12' });
    expect(status.body.pipelines.find((p: { pipeline_id: string }) => p.pipeline_id === PIPELINE)).toMatchObject({ ran_today: false, last_run: expect.objectContaining({ pipeline_logging_id: 'run-2' }) });
    const day11 = await deps.warehouse.query({
      sql: `SELECT pipelines_run_today, pipelines_succeeded_today FROM ${deps.warehouse.table('organizations', 'org_usage_quotas')} WHERE org_slug = @org AND usage_date = DATE '2026-03-11'`, params: { org: ORG },
    });
    expect(day11).toEqual([{ pipelines_run_today: 2, pipelines_succeeded_today: 2 }]);
    const next = await http('POST', `/api/v1/validator/validate/${ORG}`, { pipeline_id: PIPELINE });
    expect(next.body).toMatchObject({ valid: true, reservation_date: '2026-03-12', quota: { pipelines_run_today: 1, pipelines_run_month: 3 } });
  });
});
