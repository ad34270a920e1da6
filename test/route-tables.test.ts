import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway, type LocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { pathParams, type RouteDef } from '@cloudact/shared/http/route';
import { functionTables } from '../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { mapOrgKeys } from '../shared/test/support/org-keys.js';

/**
 * The security matrix, generated from the route tables: every route of every function, every
 * way of calling it without the right credentials. A new route is covered the moment it is added.
 */
const ORG = 'acme_corp';
const OTHER_ORG = 'beta_inc';
const KEYS = {
  own: 'sk_acme_corp_valid_key_for_matrix_000000',
  other: 'sk_beta_inc_valid_key_for_matrix_0000000',
};

const all = functionTables.flatMap((t) => t.routes.map((route) => ({ fn: t.name, route })));

function concretePath(route: RouteDef): string {
  return pathParams(route.path).reduce((p, name) => p.replace(`{${name}}`, name === 'org_slug' ? ORG : 'x_test_value'), route.path);
}

let gateway: LocalGateway;
beforeAll(async () => {
  const deps = await testDeps({}, {
    orgKeys: () => mapOrgKeys({
      [KEYS.own]: { orgSlug: ORG, keyId: 'k-own', scopes: ['read', 'write', 'admin'], orgStatus: 'ACTIVE' },
      [KEYS.other]: { orgSlug: OTHER_ORG, keyId: 'k-other', scopes: ['read', 'write', 'admin'], orgStatus: 'ACTIVE' },
    }),
  });
  gateway = createLocalGateway(functionTables, deps);
});

async function call(route: RouteDef, headers: Record<string, string>) {
  const res = await gateway.fetch(new Request(`http://gw${concretePath(route)}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', ...headers },
    body: route.method === 'GET' ? undefined : '{}',
  }));
  const body = (await res.json()) as { error?: string; request_id?: string };
  return { status: res.status, body };
}

describe('route tables', () => {
  it('every function has a table and every route a known auth policy', () => {
    expect(functionTables.map((t) => t.name)).toEqual(['bootstrap', 'onboard', 'integrations', 'locale', 'subscriptions', 'costs']);
    for (const { fn, route } of all) expect(['public', 'root', 'org'], `${fn} ${route.method} ${route.path}`).toContain(route.auth);
  });

  it('no two routes share a method and path', () => {
    const seen = all.map(({ route }) => `${route.method} ${route.path}`);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('every org route names its org in the path (the key must match it)', () => {
    for (const { route } of all.filter((r) => r.route.auth === 'org')) expect(pathParams(route.path)).toContain('org_slug');
  });
});

const secured = all.filter(({ route }) => route.auth !== 'public');
describe.each(secured.map((r) => [`${r.route.method} ${r.route.path} (${r.fn}, ${r.route.auth})`, r.route] as const))('%s', (_name, route) => {
  const cases: [string, Record<string, string>, number][] = route.auth === 'root'
    ? [
      ['no key', {}, 401],
      ['wrong root key', { 'x-ca-root-key': `${TEST_ROOT_KEY}x` }, 401],
      ['an org key instead of the root key', { 'x-api-key': KEYS.own }, 401],
    ]
    : [
      ['no key', {}, 401],
      ['unknown key', { 'x-api-key': 'sk_acme_corp_unknown_000000000000000000' }, 401],
      ['another org\'s key', { 'x-api-key': KEYS.other }, 403],
      ['the root key instead of an org key', { 'x-ca-root-key': TEST_ROOT_KEY }, 401],
    ];
  it.each(cases)('%s → %i envelope', async (_case, headers, status) => {
    const { status: got, body } = await call(route, headers);
    expect(got).toBe(status);
    expect(body.error).toBe(status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
    expect(body.request_id).toBeTruthy();
  });
});
