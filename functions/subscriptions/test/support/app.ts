import { buildFunctionApp } from '@cloudact/shared/app/function';
import type { DepsOverrides } from '@cloudact/shared/app/create-deps';
import { routes } from '../../src/routes.js';
import { testDeps } from '../../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../../shared/test/support/orgs.js';

/**
 * A subscriptions app on real deps (in-memory DuckDB) with a clock the test moves, and one org
 * in Asia/Kolkata (UTC+5:30). The clock starts at 20:00 UTC on 10 March 2026: already 01:30 on
 * 11 March in Kolkata, so "today" differs between the org and UTC.
 */
export type Deps = Awaited<ReturnType<typeof testDeps>>;

export async function subscriptionsApp(org = 'kolkata_co', overrides: DepsOverrides = {}) {
  const time = settableClock(Date.parse('2026-03-10T20:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, ...overrides });
  await bootstrap(deps);
  const key = (await onboard(deps, org, { default_timezone: 'Asia/Kolkata', default_currency: 'INR' })).api_key;
  const app = buildFunctionApp('subscriptions', routes, deps);
  let n = 0;
  async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, apiKey = key): Promise<{ status: number; body: T; log: Record<string, unknown> }> {
    const id = `t-${++n}`;
    const res = await app.fetch(new Request(`http://fn/api/v1/subscriptions/${org}${path}`, {
      method, headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'x-request-id': id }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    const log = deps.logger.lines.find((l) => l.client_request_id === id)!;
    return { status: res.status, body: (await res.json()) as T, log };
  }
  return { deps, time, key, app, call, org };
}

export interface PlanBody {
  subscription_id: string; plan_id: string; version: number; plan_name: string; status: string; is_enabled: boolean; start_date: string; end_date: string | null;
  seats: number; unit_price: number; unit_price_usd: number; unit_price_exact: string; currency: string; monthly_cost: string; annual_cost: string; superseded_by: string | null; catalog_plan_id: string | null;
}
export interface PlansBody { plans: PlanBody[]; total: number; total_monthly_cost: number | null; total_annual_cost: number | null; currency: string | null; totals_by_currency: Record<string, { monthly: string; annual: string }> }
