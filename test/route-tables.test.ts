import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway, type LocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { isMutating, pathParams, type RouteDef } from '@cloudact/shared/http/route';
import { createKey } from '@cloudact/shared/orgs/keys/create';
import { hashOrgApiKey } from '@cloudact/shared/orgs/keys/format';
import { revokeKey } from '@cloudact/shared/orgs/keys/revoke';
import { updatePlan } from '@cloudact/shared/orgs/plan/update';
import { functionTables } from '../scripts/function-tables.js';
import { allRoutes, concretePath } from './support/route-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../shared/test/support/orgs.js';

/**
 * The security matrix, generated from the route tables: every route of every function, every way
 * of calling it without the right credentials, with real keys from the real key store. A new
 * route is covered the moment it is added to a table.
 */
const ORG = 'acme_corp';
const keys: Record<string, string> = {};
let gateway: LocalGateway;
let deps: Awaited<ReturnType<typeof testDeps>>;

const all = allRoutes;

beforeAll(async () => {
  const time = settableClock();
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  const [acme, beta, frozen] = await Promise.all([onboard(deps, ORG), onboard(deps, 'beta_inc'), onboard(deps, 'frozen_co')]);
  keys.own = acme.api_key;
  keys.other = beta.api_key;
  keys.suspended = frozen.api_key;
  const [revoked, expiring, readOnly] = await Promise.all([
    createKey(testCtx(deps), { org_slug: ORG, description: 'to revoke' }),
    createKey(testCtx(deps), { org_slug: ORG, expires_at: new Date(time.clock().getTime() + 3_600_000).toISOString() }),
    createKey(testCtx(deps), { org_slug: ORG, scopes: ['read'] }),
  ]);
  await revokeKey(testCtx(deps), { keyHash: hashOrgApiKey(revoked.api_key) });
  await updatePlan(testCtx(deps), { orgSlug: 'frozen_co', change: { status: 'SUSPENDED' } });
  keys.revoked = revoked.api_key;
  keys.expired = expiring.api_key;
  keys.readOnly = readOnly.api_key;
  time.advance(2 * 3_600_000);
  gateway = createLocalGateway(functionTables, deps);
});

async function call(route: RouteDef, headers: Record<string, string>, org = ORG) {
  const res = await gateway.fetch(new Request(`http://gw${concretePath(route, org)}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: route.method === 'GET' ? undefined : '{}',
  }));
  // A download route's success is its file, not JSON; every refusal is the JSON envelope.
  const body = (/json/.test(res.headers.get('content-type') ?? '') ? await res.json() : { text: await res.text() }) as { error?: string; request_id?: string; message?: string };
  return { status: res.status, body };
}

describe('route tables', () => {
  it('every function has a table and every route a known auth policy', () => {
    expect(functionTables.map((t) => t.name)).toEqual(['bootstrap', 'onboard', 'integrations', 'locale', 'subscriptions', 'costs', 'pipelines', 'hierarchy', 'budgets', 'alerts']);
    for (const { fn, route } of all) expect(['public', 'root', 'org'], `${fn} ${route.method} ${route.path}`).toContain(route.auth);
  });

  it('no two routes share a method and path', () => {
    const seen = all.map(({ route }) => `${route.method} ${route.path}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('every org route names its org in the path (the key must match it)', () => {
    expect(all.some((r) => r.route.auth === 'org')).toBe(true);
    for (const { route } of all.filter((r) => r.route.auth === 'org')) expect(pathParams(route.path)).toContain('org_slug');
  });
});

const secured = all.filter(({ route }) => route.auth !== 'public');
describe.each(secured.map((r) => [`${r.route.method} ${r.route.path} (${r.fn}, ${r.route.auth})`, r.route] as const))('%s', (_name, route) => {
  const cases: [string, () => Record<string, string>, number, string?][] = route.auth === 'root'
    ? [
      ['no key', () => ({}), 401],
      ['wrong root key', () => ({ 'x-ca-root-key': `${TEST_ROOT_KEY}x` }), 401],
      ['an org key instead of the root key', () => ({ 'x-api-key': keys.own! }), 401],
    ]
    : [
      ['no key', () => ({}), 401],
      ['unknown key', () => ({ 'x-api-key': `sk_${ORG}_${'A'.repeat(32)}` }), 401],
      ['malformed key', () => ({ 'x-api-key': 'not-a-key' }), 401],
      ['another org\'s key', () => ({ 'x-api-key': keys.other! }), 403],
      ['a revoked key', () => ({ 'x-api-key': keys.revoked! }), 401],
      ['an expired key', () => ({ 'x-api-key': keys.expired! }), 401],
      ['the root key instead of an org key', () => ({ 'x-ca-root-key': TEST_ROOT_KEY }), 401],
      ['a suspended org\'s own key', () => ({ 'x-api-key': keys.suspended! }), 403, 'frozen_co'],
      ...(isMutating(route) ? [['a read-only key on a mutating route', () => ({ 'x-api-key': keys.readOnly! }), 403] as [string, () => Record<string, string>, number]] : []),
    ];
  it.each(cases)('%s → %i envelope', async (_case, headers, status, org) => {
    const { status: got, body } = await call(route, headers(), org);
    expect(got).toBe(status);
    expect(body.error).toBe(status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    expect(body.request_id).toBeTruthy();
  });

  if (route.auth === 'org') {
    it('the org\'s own key gets past auth', async () => {
      // A fresh key each time: calling the rotate route retires the key that calls it.
      const fresh = await createKey(testCtx(deps), { org_slug: ORG });
      const { status } = await call(route, { 'x-api-key': fresh.api_key });
      expect([401, 403]).not.toContain(status);
    });
  }
});
