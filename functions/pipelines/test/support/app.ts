import { randomUUID } from 'node:crypto';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import type { DepsOverrides } from '@cloudact/shared/app/create-deps';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralSpec } from '@cloudact/shared/orgs/tables';
import { routes } from '../../src/routes.js';
import { testDeps } from '../../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../../shared/test/support/orgs.js';

/**
 * A pipelines app on real deps (in-memory DuckDB by default) with a clock the test moves, and one
 * org in Asia/Kolkata (UTC+5:30). The clock starts at 20:00 UTC on 10 March 2026: already 01:30
 * on 11 March in Kolkata, so the org's day differs from UTC's.
 */
export type Deps = Awaited<ReturnType<typeof testDeps>>;

export async function pipelinesApp(org = 'kolkata_co', overrides: DepsOverrides = {}, plan = 'SCALE') {
  const time = settableClock(Date.parse('2026-03-10T20:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, ...overrides });
  await bootstrap(deps);
  const key = (await onboard(deps, org, { default_timezone: 'Asia/Kolkata', default_currency: 'INR', subscription_plan: plan as never })).api_key;
  const orgId = (await deps.profiles.get(org)).org_id;
  const app = buildFunctionApp('pipelines', routes, deps);
  let n = 0;
  async function call<T = Record<string, any>>(method: string, path: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: T; headers: Headers; text: string; log: Record<string, unknown> }> {
    const id = `t-${++n}`;
    const res = await app.fetch(new Request(`http://fn${path}`, {
      method, headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), 'content-type': 'application/json', 'x-request-id': id }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    const text = await res.text();
    const log = deps.logger.lines.find((l) => l.client_request_id === id)!;
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* a download */ }
    return { status: res.status, body: parsed as T, headers: res.headers, text, log };
  }
  /** The pipeline service's admission call, with its exact body. */
  const validate = (pipelineId: string, apiKey: string = key) => call('POST', `/api/v1/validator/validate/${org}`, { pipeline_id: pipelineId }, apiKey);
  const complete = (status: 'SUCCESS' | 'FAILED', reservationId?: string) =>
    call('POST', `/api/v1/validator/complete/${org}?pipeline_status=${status}${reservationId ? `&reservation_id=${reservationId}` : ''}`);
  /** Sets the org's plan limits directly (the root plan route is another function's). */
  async function setLimits(l: { daily?: number; monthly?: number; concurrent?: number; status?: string; trial_end_date?: string | null; subscription_end_date?: string | null }) {
    const sets: string[] = [];
    const params: Record<string, string | number | null> = { org };
    if (l.daily !== undefined) { sets.push('daily_limit = @daily'); params.daily = l.daily; }
    if (l.monthly !== undefined) { sets.push('monthly_limit = @monthly'); params.monthly = l.monthly; }
    if (l.concurrent !== undefined) { sets.push('concurrent_limit = @concurrent'); params.concurrent = l.concurrent; }
    if (l.status !== undefined) { sets.push('status = @status'); params.status = l.status; }
    if (l.trial_end_date !== undefined) { sets.push('trial_end_date = @ted'); params.ted = l.trial_end_date; }
    if (l.subscription_end_date !== undefined) { sets.push('subscription_end_date = @sed'); params.sed = l.subscription_end_date; }
    await deps.warehouse.execute({ sql: `UPDATE ${deps.warehouse.table('organizations', 'org_subscriptions')} SET ${sets.join(', ')} WHERE org_slug = @org`, params, types: { ted: 'DATE', sed: 'DATE' } });
  }
  /** A credential row as integration setup leaves it (the secret is not read by these routes). */
  async function addCredential(provider: string, validation_status = 'VALID') {
    await insertRows(deps.warehouse, 'organizations', centralSpec('org_integration_credentials'), [{
      credential_id: randomUUID(), org_slug: org, org_id: orgId, provider, encrypted_credential: Buffer.from('x'), credential_type: 'API_KEY',
      validation_status, is_active: true, created_at: time.clock(),
    }]);
  }
  /** The org's usage rows as the quota route reads them (DAY rows only). */
  async function dayRows() {
    return deps.warehouse.query({
      sql: `SELECT usage_date, pipelines_run_today, pipelines_succeeded_today, pipelines_failed_today, concurrent_pipelines_running, org_id FROM ${deps.warehouse.table('organizations', 'org_usage_quotas')}
            WHERE org_slug = @org AND usage_date > DATE '2000-01-01' ORDER BY usage_date`,
      params: { org },
    });
  }
  return { deps, time, key, orgId, app, call, validate, complete, setLimits, addCredential, dayRows, org };
}
export type PipelinesApp = Awaited<ReturnType<typeof pipelinesApp>>;
