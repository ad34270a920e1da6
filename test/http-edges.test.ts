import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { functionTables } from '../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { bootstrap, onboard, rowsOf } from '../shared/test/support/orgs.js';

/** The edges of HTTP that a black-box test tries, through the local gateway on a real socket. */
type Deps = Awaited<ReturnType<typeof testDeps>>;
let deps: Deps;
let url: string;
let close: () => Promise<void>;
let apiKey: string;

beforeAll(async () => {
  deps = await testDeps({ TRUSTED_PROXY_HOPS: '1', AUTH_FAILURES_PER_MINUTE: '5' });
  await bootstrap(deps);
  apiKey = (await onboard(deps, 'edge_co')).api_key;
  const { server, url: u } = await createLocalGateway(functionTables, deps).listen(0);
  url = u;
  close = () => new Promise((r) => server.close(() => r()));
});
afterAll(() => close());

/** Raw request, so headers Node's fetch would refuse to send can be sent. */
function raw(path: string, method: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method, headers }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('answers Node gives on its own come in the envelope', () => {
  it('431 for headers too large', async () => {
    const res = await raw('/health', 'GET', { 'x-big': 'a'.repeat(20_000) });
    expect(res.status).toBe(431);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'BAD_REQUEST', message: expect.stringMatching(/too large/), detail: expect.any(String), request_id: expect.any(String) });
  });

  it('HEAD on a GET route works, with the headers and no body; TRACE is 405', async () => {
    const head = await raw('/api/v1/i18n/currencies', 'HEAD', {});
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-type']).toMatch(/json/);
    const trace = await raw('/api/v1/i18n/currencies', 'TRACE', {});
    expect(trace.status).toBe(405);
    expect(JSON.parse(trace.body)).toMatchObject({ error: 'METHOD_NOT_ALLOWED' });
  });
});

describe('errors speak FastAPI too', () => {
  it('every envelope carries `detail` with the message', async () => {
    const res = await fetch(`${url}/api/v1/organizations/edge_co/locale`);
    const body = (await res.json()) as { message: string; detail: string };
    expect(res.status).toBe(401);
    expect(body.detail).toBe(body.message);
  });
});

describe('responses with keys or org data are never cached', () => {
  it('authenticated routes answer Cache-Control: no-store; public ones do not', async () => {
    const own = await fetch(`${url}/api/v1/organizations/edge_co/locale`, { headers: { 'x-api-key': apiKey } });
    expect(own.headers.get('cache-control')).toBe('no-store');
    const created = await fetch(`${url}/api/v1/admin/api-keys`, { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: 'edge_co', scopes: ['read'] }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${url}/api/v1/i18n/timezones`)).headers.get('cache-control')).toBeNull();
  });
});

describe('request ids and client addresses', () => {
  it('the server makes its own request id, keeps the client\'s beside it, and logs the address the platform vouches for', async () => {
    const res = await fetch(`${url}/api/v1/organizations/edge_co/locale`, {
      method: 'PUT',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'x-request-id': 'client-chosen-1', 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.1' },
      body: JSON.stringify({ default_timezone: 'Europe/Berlin' }),
    });
    expect(res.status).toBe(200);
    const serverId = res.headers.get('x-request-id')!;
    expect(serverId).not.toBe('client-chosen-1');
    const line = deps.logger.lines.find((l) => l.client_request_id === 'client-chosen-1')!;
    expect(line.request_id).toBe(serverId);
    // One trusted hop (10.0.0.1 was appended by our proxy): the client is 203.0.113.9, not the spoofable 6.6.6.6.
    expect((line.httpRequest as { remoteIp: string }).remoteIp).toBe('203.0.113.9');
    expect(line.org_api_key_id).toEqual(expect.any(String));
    const [audit] = await rowsOf(deps, 'org_audit_logs', 'edge_co', "action = 'LOCALE_UPDATE'");
    expect(audit).toMatchObject({ request_id: serverId, client_request_id: 'client-chosen-1', ip_address: '203.0.113.9', actor_type: 'org', api_key_id: line.org_api_key_id });
  });
});

describe('failed authentications are limited per client address', () => {
  it('after 5 failures in a minute an address gets 429 with Retry-After, before any key lookup; other addresses are not affected', async () => {
    const bad = (ip: string) => fetch(`${url}/api/v1/organizations/edge_co/locale`, { headers: { 'x-api-key': `sk_edge_co_${'x'.repeat(32)}`, 'x-forwarded-for': `${ip}, 10.0.0.1` } });
    for (let i = 0; i < 5; i++) expect((await bad('198.51.100.7')).status).toBe(401);
    const limited = await bad('198.51.100.7');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'RATE_LIMITED', details: { limit: 5 } });
    expect((await bad('198.51.100.8')).status).toBe(401);
  });
});

describe('health that does not lie, and costs nothing', () => {
  it('/health and /health/live make no warehouse call; /health/ready checks the central tables at most every 10 s', async () => {
    const before = deps.logger.lines.length;
    await fetch(`${url}/locale/health`);
    await fetch(`${url}/locale/health/live`);
    const lines = deps.logger.lines.slice(before);
    expect(lines.map((l) => l.warehouse_calls)).toEqual([0, 0]);
    const first = await fetch(`${url}/locale/health/ready`);
    expect(first.status).toBe(200);
    const again = await fetch(`${url}/locale/health/ready`);
    expect(again.status).toBe(200);
    expect(deps.logger.lines.slice(-1)[0]!.warehouse_calls).toBe(0);
  });

  it('on a database that was never bootstrapped: ready is 503 naming bootstrap, and routes answer 503 saying the same, never 500', async () => {
    const empty = await testDeps();
    const gw = createLocalGateway(functionTables, empty);
    const ready = await gw.fetch(new Request('http://gw/onboard/health/ready'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: expect.stringMatching(/bootstrap/) });
    const route = await gw.fetch(new Request('http://gw/api/v1/organizations/edge_co/locale', { headers: { 'x-api-key': apiKey } }));
    expect(route.status).toBe(503);
    expect(await route.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/bootstrap/) });
    expect(route.headers.get('retry-after')).toBeTruthy();
  });
});
