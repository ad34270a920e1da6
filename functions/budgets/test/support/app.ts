import { buildFunctionApp } from '@cloudact/shared/app/function';
import type { DepsOverrides } from '@cloudact/shared/app/create-deps';
import { routes } from '../../src/routes.js';
import { testDeps } from '../../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../../shared/test/support/orgs.js';

export type Deps = Awaited<ReturnType<typeof testDeps>>;

/** A budgets app on real deps (in-memory DuckDB unless overridden) with one onboarded org and a clock the test moves. */
export async function budgetsApp(org = 'acme_co', overrides: DepsOverrides = {}, onboardExtra: Record<string, unknown> = {}, now = '2026-03-10T20:00:00Z') {
  const time = settableClock(Date.parse(now));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', RATE_LIMIT_DISABLED: 'true' }, { clock: time.clock, ...overrides });
  await bootstrap(deps);
  const onboarded = await onboard(deps, org, { subscription_plan: 'SCALE', ...onboardExtra });
  const key = onboarded.api_key;
  const app = buildFunctionApp('budgets', routes, deps);
  let n = 0;
  async function call<T = Record<string, any>>(method: string, path: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: T; text: string; log: Record<string, unknown> }> {
    const id = `t-${++n}`;
    const res = await app.fetch(new Request(`http://fn/api/v1/budgets/${org}${path}`, {
      method, headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), 'content-type': 'application/json', 'x-request-id': id }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    const text = await res.text();
    const log = deps.logger.lines.find((l) => l.client_request_id === id)!;
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* empty */ }
    return { status: res.status, body: parsed as T, text, log };
  }
  /** The org's stored budget rows (lock rows left out). */
  async function rows() {
    return deps.warehouse.query({
      sql: `SELECT budget_id, revision, budget_amount FROM ${deps.warehouse.table('organizations', 'org_budgets')} WHERE org_slug = @org AND budget_id != '-lock-' ORDER BY created_at, budget_id`,
      params: { org },
    });
  }
  return { deps, time, key, app, call, rows, org };
}
export type BudgetsApp = Awaited<ReturnType<typeof budgetsApp>>;
