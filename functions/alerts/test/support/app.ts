import { buildFunctionApp } from '@cloudact/shared/app/function';
import type { DepsOverrides } from '@cloudact/shared/app/create-deps';
import { routes } from '../../src/routes.js';
import { testDeps } from '../../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../../shared/test/support/orgs.js';

export type Deps = Awaited<ReturnType<typeof testDeps>>;

/**
 * An alerts app on real deps (in-memory DuckDB unless overridden) with one onboarded org, a clock
 * the test moves, and deliveries allowed to loopback receivers (development switch) unless `env`
 * says otherwise.
 */
export async function alertsApp(org = 'acme_co', opts: { overrides?: DepsOverrides; onboardExtra?: Record<string, unknown>; now?: string; env?: Record<string, string> } = {}) {
  const time = settableClock(Date.parse(opts.now ?? '2026-03-10T20:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', OUTBOUND_ALLOW_LOOPBACK: 'true', ...opts.env }, { clock: time.clock, ...opts.overrides });
  await bootstrap(deps);
  const onboarded = await onboard(deps, org, { subscription_plan: 'SCALE', ...opts.onboardExtra });
  const key = onboarded.api_key;
  const app = buildFunctionApp('alerts', routes, deps);
  let n = 0;
  async function call<T = Record<string, any>>(method: string, path: string, body?: unknown, apiKey: string | null = key): Promise<{ status: number; body: T; text: string; log: Record<string, unknown> }> {
    const id = `t-${++n}`;
    const url = path.startsWith('/api/') ? `http://fn${path}` : `http://fn/api/v1/notifications/${org}${path}`;
    const res = await app.fetch(new Request(url, {
      method, headers: { ...(apiKey ? { 'x-api-key': apiKey } : {}), 'content-type': 'application/json', 'x-request-id': id }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    const text = await res.text();
    const log = deps.logger.lines.find((l) => l.client_request_id === id)!;
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* empty */ }
    return { status: res.status, body: parsed as T, text, log };
  }
  return { deps, time, key, app, call, org };
}
export type AlertsApp = Awaited<ReturnType<typeof alertsApp>>;
