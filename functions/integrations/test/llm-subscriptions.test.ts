import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * LLM subscriptions through the integrations function: stored in llm_subscriptions (the
 * original wrote them into the SaaS table), 201/204/409, the `_usd` names in and out, reset to
 * the defaults, and the duplicate plan_name race on overlapping statements.
 */
type Deps = Awaited<ReturnType<typeof testDeps>>;
type Sub = { subscription_id: string; plan_name: string; quantity: number; unit_price: number; unit_price_usd: number; currency: string; yearly_price: number | null; yearly_price_usd: number | null; tier_type: string; billing_period: string; is_custom: boolean; rpm_limit: number | null; effective_date: string };
type List = { org_slug: string; provider: string; subscriptions: Sub[]; count: number };

const ORG = 'subs_co';
let deps: Deps;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;

beforeAll(async () => {
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: settableClock(Date.parse('2026-03-10T12:00:00Z')).clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { default_currency: 'EUR' })).api_key;
  app = buildFunctionApp('integrations', routes, deps);
});

function call(method: string, path: string, body?: unknown, a: { app?: typeof app; key?: string; org?: string } = {}) {
  return (a.app ?? app).fetch(new Request(`http://fn/api/v1/integrations/${a.org ?? ORG}${path}`, {
    method, headers: { 'x-api-key': a.key ?? key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
}
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;

describe('LLM subscriptions', () => {
  it('lists none at first, in one round-trip', async () => {
    await call('GET', '/openai/subscriptions');
    const res = await call('GET', '/openai/subscriptions');
    expect(await res.json()).toEqual({ org_slug: ORG, provider: 'OPENAI', subscriptions: [], count: 0 });
    expect(deps.logger.lines.find((l) => l.request_id === res.headers.get('x-request-id'))).toMatchObject({ warehouse_calls: 1, warehouse_depth: 1 });
  });

  it('POST creates (201) in llm_subscriptions, never the SaaS table; _usd names accepted and answered; currency the org\'s', async () => {
    const res = await call('POST', '/openai/subscriptions', { plan_name: 'TIER_3', quantity: 2, unit_price_usd: 20.5, tier_type: 'paid', rpm_limit: 5000, yearly_price: '199.99' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ plan_name: 'TIER_3', quantity: 2, unit_price: 20.5, unit_price_usd: 20.5, yearly_price: 199.99, yearly_price_usd: 199.99, currency: 'EUR', billing_period: 'monthly', is_custom: true, rpm_limit: 5000, effective_date: '2026-03-10' });
    const stored = await deps.warehouse.query({ sql: `SELECT unit_price, yearly_price FROM ${deps.warehouse.table(`${ORG}_prod`, 'llm_subscriptions')} WHERE plan_name = 'TIER_3'` });
    expect(stored).toEqual([{ unit_price: '20.5', yearly_price: '199.99' }]);
    const saas = await deps.warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${deps.warehouse.table(`${ORG}_prod`, 'saas_subscription_plans')}` });
    expect(Number(saas[0]!.n)).toBe(0);
  });

  it('a duplicate plan_name is 409; bad input is 422', async () => {
    const dup = await call('POST', '/openai/subscriptions', { plan_name: 'TIER_3', unit_price: 1 });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: 'CONFLICT', details: { plan_name: 'TIER_3' } });
    for (const body of [
      { plan_name: 'bad-name', unit_price: 1 },
      { plan_name: 'X', unit_price: -1 },
      { plan_name: 'X', unit_price: 1, quantity: -1 },
      { plan_name: 'X', unit_price: 1, unit_price_usd: 1 },
      { plan_name: 'X' },
      { plan_name: 'X', unit_price: 1, effective_date: '2026-04-01', end_date: '2026-03-01' },
      { plan_name: 'X', unit_price: 1, tier_type: 'platinum' },
      { plan_name: 'X', unit_price: 1, billing_period: 'daily' },
    ]) expect((await call('POST', '/openai/subscriptions', body)).status, JSON.stringify(body)).toBe(422);
  });

  it('GET one, PUT changes it (aliases too), DELETE is 204', async () => {
    expect(await json<Sub>(call('GET', '/openai/subscriptions/TIER_3'))).toMatchObject({ plan_name: 'TIER_3', unit_price: 20.5 });
    const put = await call('PUT', '/openai/subscriptions/TIER_3', { quantity: 3, yearly_price_usd: 180, rpm_limit: null });
    expect(put.status).toBe(200);
    expect(await put.json()).toMatchObject({ quantity: 3, unit_price: 20.5, yearly_price: 180, yearly_price_usd: 180, rpm_limit: null });
    expect(await json<Sub>(call('GET', '/openai/subscriptions/TIER_3'))).toMatchObject({ quantity: 3, yearly_price: 180, rpm_limit: null });
    expect((await call('PUT', '/openai/subscriptions/TIER_3', { end_date: '2020-01-01' })).status).toBe(422);
    expect((await call('PUT', '/openai/subscriptions/NOPE', { quantity: 1 })).status).toBe(404);
    expect((await call('PUT', '/openai/subscriptions/TIER_3', { plan_name: 'OTHER' })).status).toBe(422);

    const del = await call('DELETE', '/openai/subscriptions/TIER_3');
    expect(del.status).toBe(204);
    expect(await del.text()).toBe('');
    expect((await call('GET', '/openai/subscriptions/TIER_3')).status).toBe(404);
    expect((await call('DELETE', '/openai/subscriptions/TIER_3')).status).toBe(404);
  });

  it('reset replaces the provider\'s plans by the defaults (other providers untouched)', async () => {
    expect((await call('POST', '/openai/subscriptions', { plan_name: 'ENTERPRISE', unit_price: 1000, tier_type: 'enterprise' })).status).toBe(201);
    expect((await call('POST', '/anthropic/subscriptions', { plan_name: 'BUILD', unit_price: 0 })).status).toBe(201);
    const res = await call('POST', '/openai/subscriptions/reset');
    expect(res.status).toBe(200);
    const body = await json<List>(res);
    expect(body.subscriptions.map((s) => [s.plan_name, s.tier_type, s.billing_period, s.unit_price, s.currency, s.is_custom])).toEqual([['pay_as_you_go', 'paid', 'pay_as_you_go', 0, 'EUR', false]]);
    expect((await json<List>(call('GET', '/anthropic/subscriptions'))).subscriptions.map((s) => s.plan_name)).toEqual(['BUILD']);
    expect((await json<List>(call('POST', '/gemini/subscriptions/reset'))).subscriptions.map((s) => s.plan_name)).toEqual(['free_tier', 'pay_as_you_go']);
    expect((await json<List>(call('GET', '/openai/subscriptions?include_custom=false'))).count).toBe(1);
    expect((await json<List>(call('GET', '/anthropic/subscriptions?include_custom=false'))).count).toBe(0);
  });

  it('gcp has no LLM subscriptions (404); audit rows name each change', async () => {
    expect((await call('GET', '/gcp/subscriptions')).status).toBe(404);
    const rows = await rowsOf(deps, 'org_audit_logs', ORG, "action LIKE 'LLM_SUBSCRIPTION_%'");
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['LLM_SUBSCRIPTION_CREATE', 'LLM_SUBSCRIPTION_UPDATE', 'LLM_SUBSCRIPTION_DELETE', 'LLM_SUBSCRIPTION_RESET']));
  });

  it('eight creates of one plan at once on overlapping statements: one 201, seven 409', async () => {
    const raceDeps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 20 }) });
    await bootstrap(raceDeps);
    const raceKey = (await onboard(raceDeps, 'subs_race')).api_key;
    const raceApp = buildFunctionApp('integrations', routes, raceDeps);
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', '/deepseek/subscriptions', { plan_name: 'PRO', unit_price: i }, { app: raceApp, key: raceKey, org: 'subs_race' })))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await raceDeps.warehouse.query({ sql: `SELECT subscription_id FROM ${raceDeps.warehouse.table('subs_race_prod', 'llm_subscriptions')} WHERE plan_name = 'PRO'` });
    expect(rows).toHaveLength(1);
  });
});
