import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { functionTables } from '../scripts/function-tables.js';
import { createCloudActClient } from '../clients/typescript/src/index.js';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes as locale } from '../functions/locale/src/routes.js';
import { routes as onboard } from '../functions/onboard/src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { bootstrap, onboard as onboardOrg, onboardBody, settableClock } from '../shared/test/support/orgs.js';
import { hasRedisServer, startRedis } from '../shared/test/support/redis.js';
import { startTs } from './support/processes.js';

/** Rate limits and Idempotency-Key, through the routers, as a client sees them. */
const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

describe('rate limits', () => {
  it('every authenticated answer carries RateLimit-*; a burst over the plan\'s budget gets 429 with Retry-After naming the limit', async () => {
    const deps = await testDeps({ RATE_LIMITS: 'on' });
    await bootstrap(deps);
    const { api_key } = await onboardOrg(deps, 'burst_co', { subscription_plan: 'FREE' });
    const app = buildFunctionApp('locale', locale, deps);
    const get = () => app.fetch(new Request('http://fn/api/v1/organizations/burst_co/locale', { headers: { 'x-api-key': api_key } }));
    const answers = [];
    for (let i = 0; i < 121; i++) answers.push(await get()); // FREE: 120 reads a minute
    expect(answers.slice(0, 120).every((r) => r.status === 200)).toBe(true);
    expect(answers[0]!.headers.get('ratelimit-limit')).toBe('120');
    expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('119');
    expect(answers[119]!.headers.get('ratelimit-remaining')).toBe('0');
    const refused = answers[120]!;
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(await refused.json()).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringMatching(/120 read requests per minute for organization 'burst_co' on the FREE plan/), details: { limit: 120, window_seconds: 60, class: 'read' } });
    // Public routes are not counted.
    expect((await app.fetch(new Request('http://fn/api/v1/i18n/currencies'))).headers.get('ratelimit-limit')).toBeNull();
  });

  it('failed authentications from one address (a NAT) never lock out a valid key from it; unknown keys from it get 429 once over', async () => {
    const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '30' });
    await bootstrap(deps);
    const { api_key } = await onboardOrg(deps, 'nat_co');
    const app = buildFunctionApp('locale', locale, deps);
    const get = (key: string) => app.fetch(new Request('http://fn/api/v1/organizations/nat_co/locale', { headers: { 'x-api-key': key, 'x-forwarded-for': '203.0.113.7' } }));
    const bad = `sk_nat_co_${'x'.repeat(32)}`;
    for (let i = 0; i < 30; i++) expect((await get(bad)).status).toBe(401);
    expect((await get(api_key)).status).toBe(200);
    const refused = await get(bad);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(api_key)).status).toBe(200);
    // The root key too: a valid one passes, a wrong one is 429.
    const admin = buildFunctionApp('onboard', onboard, deps);
    const root = (key: string) => admin.fetch(new Request('http://fn/api/v1/admin/organizations/nat_co', { headers: { 'x-ca-root-key': key, 'x-forwarded-for': '203.0.113.7' } }));
    expect((await root(TEST_ROOT_KEY)).status).toBe(200);
    expect((await root('wrong')).status).toBe(429);
  });

  it.skipIf(!hasRedisServer)('two instances sharing a real redis-server enforce one budget', async () => {
    const redis = await startRedis();
    try {
      const warehouse = await DuckDbWarehouse.open(':memory:');
      const [a, b] = await Promise.all([
        testDeps({ RATE_LIMITS: 'on', RATE_LIMIT_REDIS_URL: redis.url }, { warehouse }),
        testDeps({ RATE_LIMITS: 'on', RATE_LIMIT_REDIS_URL: redis.url }, { warehouse }),
      ]);
      await bootstrap(a);
      const { api_key } = await onboardOrg(a, 'shared_co', { subscription_plan: 'FREE' });
      const apps = [buildFunctionApp('locale', locale, a), buildFunctionApp('locale', locale, b)];
      const statuses = [];
      for (let i = 0; i < 122; i++) {
        const res = await apps[i % 2]!.fetch(new Request('http://fn/api/v1/organizations/shared_co/locale', { headers: { 'x-api-key': api_key } }));
        statuses.push(res.status);
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(120);
      expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    } finally {
      await redis.stop();
    }
  });
});

describe.skipIf(!hasRedisServer)('two processes, one redis-server', () => {
  it('separate processes draw on one budget: 8 requests against a budget of 5 allow exactly 5', async () => {
    const redis = await startRedis();
    try {
      const env = { RATE_LIMIT_REDIS_URL: redis.url, BUDGET_KEY: 'org:procs:read', BUDGET: '5', CONSUME: '4' };
      const [a, b] = await Promise.all([
        startTs('test/support/consume-budget.ts', [], env, /allowed=(\d+)/),
        startTs('test/support/consume-budget.ts', [], env, /allowed=(\d+)/),
      ]);
      expect(Number(a.match[1]) + Number(b.match[1])).toBe(5);
      await Promise.all([a.stop(), b.stop()]);
    } finally {
      await redis.stop();
    }
  });
});

describe('Idempotency-Key', () => {
  async function setup() {
    const deps = await testDeps({}, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true }) });
    await bootstrap(deps);
    const app = buildFunctionApp('onboard', onboard, deps);
    return { deps, app };
  }

  it('onboarding whose answer was lost: the retry with the same key gets the same answer, key included, without running again', async () => {
    const { deps, app } = await setup();
    const post = () => app.fetch(new Request('http://fn/api/v1/organizations/onboard', { method: 'POST', headers: { ...root, 'idempotency-key': 'onb-1' }, body: JSON.stringify(onboardBody('idem_co')) }));
    const first = await post(); // the client never reads this answer
    expect(first.status).toBe(200);
    const calls = deps.logger.lines.length;
    const retry = await post();
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = [await first.json(), await retry.json()] as { api_key: string }[];
    expect(b!.api_key).toBe(a!.api_key);
    expect(deps.logger.lines.slice(calls).filter((l) => l.warehouse_calls !== undefined)[0]!.warehouse_calls).toBe(2); // claim + read, no onboarding
    // Without the key the same request is a conflict, as before.
    expect((await app.fetch(new Request('http://fn/api/v1/organizations/onboard', { method: 'POST', headers: root, body: JSON.stringify(onboardBody('idem_co')) }))).status).toBe(409);
    // The stored answer holds a key: it is encrypted at rest.
    const [row] = await deps.warehouse.query({ sql: `SELECT response_data, response_encrypted FROM ${deps.warehouse.table('organizations', 'org_idempotency_keys')} WHERE idempotency_key = 'onb-1'` });
    expect(row!.response_data).toBeNull();
    expect(Buffer.from(row!.response_encrypted as Buffer).toString('latin1')).not.toContain(a!.api_key);
  });

  it('rotation whose answer was lost: the retry gets the new key; the same key for another request is 422', async () => {
    const { deps, app } = await setup();
    const org = await onboardOrg(deps, 'rot_co');
    const rotate = (body: unknown) => app.fetch(new Request('http://fn/api/v1/organizations/rot_co/api-key/rotate', { method: 'POST', headers: { 'x-api-key': org.api_key, 'content-type': 'application/json', 'idempotency-key': 'rot-1' }, body: JSON.stringify(body) }));
    const first = (await (await rotate({ grace_period_seconds: 60 })).json()) as { api_key: string };
    const retry = await rotate({ grace_period_seconds: 60 });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(((await retry.json()) as { api_key: string }).api_key).toBe(first.api_key);
    const other = await rotate({ grace_period_seconds: 120 });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.stringMatching(/different request \(body differ/) });
  });

  it('rotation with no grace whose answer was lost: the retry with the old (now dead) key and the same Idempotency-Key gets the stored answer for 10 minutes, and nothing else is let in (over HTTP, through the local gateway)', async () => {
    const time = settableClock();
    const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, warehouse: await DuckDbWarehouse.open(':memory:') });
    await bootstrap(deps);
    const org = await onboardOrg(deps, 'lost_co');
    const { server, url } = await createLocalGateway(functionTables, deps).listen(0);
    try {
      const rotate = (key: string, idem: string | undefined, body: unknown = { grace_period_seconds: 0 }) => fetch(`${url}/api/v1/organizations/lost_co/api-key/rotate`, {
        method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json', ...(idem ? { 'idempotency-key': idem } : {}) }, body: JSON.stringify(body),
      });
      const quota = (key: string) => fetch(`${url}/api/v1/organizations/lost_co/quota`, { headers: { 'x-api-key': key } });
      const first = await rotate(org.api_key, 'lost-1'); // the client never reads this answer
      expect(first.status).toBe(200);
      const issued = (await first.json()) as { api_key: string };
      time.advance(60_000);
      const retry = await rotate(org.api_key, 'lost-1');
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(((await retry.json()) as { api_key: string }).api_key).toBe(issued.api_key);
      // The dead key opens nothing else: another Idempotency-Key, another body, no key, another route.
      expect((await rotate(org.api_key, 'lost-2')).status).toBe(401);
      expect((await rotate(org.api_key, 'lost-1', { grace_period_seconds: 5 })).status).toBe(401);
      expect((await rotate(org.api_key, undefined)).status).toBe(401);
      expect((await quota(org.api_key)).status).toBe(401);
      // The new key is the one that works.
      expect((await quota(issued.api_key)).status).toBe(200);
      // Ten minutes after the retirement, the window is closed.
      time.advance(9 * 60_000 + 1000);
      expect((await rotate(org.api_key, 'lost-1')).status).toBe(401);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('rotation with a grace period: after the grace ends, the replay by the old key still works for 10 minutes, then not', async () => {
    const time = settableClock();
    const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, warehouse: await DuckDbWarehouse.open(':memory:') });
    await bootstrap(deps);
    const app = buildFunctionApp('onboard', onboard, deps);
    const org = await onboardOrg(deps, 'grace_co');
    const rotate = () => app.fetch(new Request('http://fn/api/v1/organizations/grace_co/api-key/rotate', {
      method: 'POST', headers: { 'x-api-key': org.api_key, 'content-type': 'application/json', 'idempotency-key': 'g-1' }, body: JSON.stringify({ grace_period_seconds: 60 }),
    }));
    const issued = (await (await rotate()).json()) as { api_key: string };
    time.advance(60_000 + 5 * 60_000);
    const retry = await rotate();
    expect(retry.status).toBe(200);
    expect(((await retry.json()) as { api_key: string }).api_key).toBe(issued.api_key);
    time.advance(5 * 60_000 + 1000);
    expect((await rotate()).status).toBe(401);
  });

  it('concurrent duplicates: one runs, the others get 409 with Retry-After (or the replay once it is done)', async () => {
    const { deps, app } = await setup();
    const org = await onboardOrg(deps, 'dup_co');
    const send = () => app.fetch(new Request('http://fn/api/v1/admin/api-keys', { method: 'POST', headers: { ...root, 'idempotency-key': 'dup-1' }, body: JSON.stringify({ org_slug: org.org_slug }) }));
    const answers = await Promise.all(Array.from({ length: 5 }, send));
    const created = answers.filter((r) => r.status === 201 && r.headers.get('idempotent-replayed') !== 'true');
    expect(created).toHaveLength(1);
    for (const r of answers.filter((x) => x.status === 409)) expect(r.headers.get('retry-after')).toBeTruthy();
    const keys = await deps.warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${deps.warehouse.table('organizations', 'org_api_keys')} WHERE org_slug = 'dup_co'` });
    expect(Number(keys[0]!.n)).toBe(2); // the onboarding key and exactly one created key
  });

  it('requests without the header pay no extra round-trip; a malformed key is 422', async () => {
    const { deps, app } = await setup();
    const org = await onboardOrg(deps, 'plain_co');
    const put = (headers: Record<string, string>, limit: number) => app.fetch(new Request('http://fn/api/v1/organizations/plain_co/subscription', { method: 'PUT', headers: { ...root, ...headers }, body: JSON.stringify({ daily_limit: limit }) }));
    const plain = await put({}, 10);
    const withKey = await put({ 'idempotency-key': 'plan-1' }, 11);
    const line = (r: Response) => deps.logger.lines.find((l) => l.request_id === r.headers.get('x-request-id'))!;
    expect((line(withKey).warehouse_calls as number) - (line(plain).warehouse_calls as number)).toBe(2); // claim before, stored answer after
    expect((line(withKey).warehouse_depth as number) - (line(plain).warehouse_depth as number)).toBe(2);
    expect((await put({ 'idempotency-key': 'x'.repeat(256) }, 12)).status).toBe(422);
    void org;
  });

  it('the typed client sends the key when asked (a header parameter of every mutating operation)', async () => {
    const { deps, app } = await setup();
    const org = await onboardOrg(deps, 'client_co');
    const api = createCloudActClient({ baseUrl: 'http://fn', apiKey: org.api_key, fetch: (r) => app.fetch(r) });
    const rotate = () => api.POST('/api/v1/organizations/{org_slug}/api-key/rotate', {
      params: { path: { org_slug: 'client_co' }, header: { 'Idempotency-Key': 'client-rot-1' } },
      body: { grace_period_seconds: 30 },
    });
    const first = await rotate();
    const again = await rotate();
    expect(first.data?.api_key).toBeTruthy();
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(again.data?.api_key).toBe(first.data?.api_key);
  });
});
