import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildFunctionApp } from '../src/app/function.js';
import type { HttpApp } from '../src/http/router.js';
import { defineRoute, type RouteDef } from '../src/http/route.js';
import { testDeps, TEST_ROOT_KEY } from './support/deps.js';
import { mapOrgKeys } from './support/org-keys.js';

const Slug = z.string().regex(/^[a-z0-9_]{3,50}$/);
const routes: RouteDef[] = [
  defineRoute({ method: 'GET', path: '/t/ping', auth: 'public', summary: 'ping', response: z.object({ pong: z.boolean() }), async handler() { return { pong: true }; } }),
  defineRoute({
    method: 'POST', path: '/t/admin', auth: 'root', summary: 'admin',
    body: z.strictObject({ name: z.string().min(2), count: z.number().int().optional() }),
    response: z.object({ got: z.object({ name: z.string(), count: z.number().optional() }) }),
    async handler({ body }) { return { got: body }; },
  }),
  defineRoute({
    method: 'GET', path: '/t/orgs/{org_slug}/thing', auth: 'org', summary: 'org read',
    params: z.object({ org_slug: Slug }),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
    response: z.object({ org: z.string(), limit: z.number(), principal: z.unknown() }),
    async handler({ params, query, principal }) { return { org: params.org_slug, limit: query.limit, principal }; },
  }),
  defineRoute({
    method: 'POST', path: '/t/orgs/{org_slug}/thing', auth: 'org', summary: 'org write',
    response: z.object({ written: z.boolean() }),
    async handler() { return { written: true }; },
  }),
  defineRoute({ method: 'GET', path: '/t/boom', auth: 'public', summary: 'boom', response: z.object({}), async handler() { throw new Error('password=hunter2 at db.internal:5432'); } }),
  defineRoute({
    method: 'GET', path: '/t/warehouse', auth: 'public', summary: 'three calls, two in parallel',
    response: z.object({ ok: z.boolean() }),
    async handler({ deps }) {
      await Promise.all([deps.warehouse.query({ sql: 'SELECT 1 AS a' }), deps.warehouse.query({ sql: 'SELECT 2 AS a' })]);
      await deps.warehouse.query({ sql: 'SELECT 3 AS a' });
      return { ok: true };
    },
  }),
];

const keys = {
  'sk_acme_live': { orgSlug: 'acme', keyId: 'k1', scopes: ['read', 'write'] as const, orgStatus: 'ACTIVE' as const },
  'sk_acme_read': { orgSlug: 'acme', keyId: 'k2', scopes: ['read'] as const, orgStatus: 'ACTIVE' as const },
  'sk_beta_live': { orgSlug: 'beta', keyId: 'k3', scopes: ['read', 'write'] as const, orgStatus: 'ACTIVE' as const },
  'sk_susp_live': { orgSlug: 'susp', keyId: 'k4', scopes: ['read', 'write'] as const, orgStatus: 'SUSPENDED' as const },
};

let app: HttpApp;
let deps: Awaited<ReturnType<typeof testDeps>>;

beforeAll(async () => {
  deps = await testDeps({ CORS_ORIGINS: 'https://app.cloudact.test' }, { orgKeys: () => mapOrgKeys(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, { ...v, scopes: [...v.scopes] }]))) });
  app = buildFunctionApp('testfn', routes, deps);
});

function call(path: string, init: RequestInit = {}) {
  return app.fetch(new Request(`http://fn.test${path}`, init));
}

async function envelope(res: Response) {
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: string; message: string; details?: { fields?: Record<string, string[]> }; request_id: string };
  expect(Object.keys(body).sort()).toEqual(expect.arrayContaining(['error', 'message', 'request_id']));
  expect(body.request_id).toBe(res.headers.get('x-request-id'));
  expect(body.request_id.length).toBeGreaterThan(0);
  return body;
}

describe('request id', () => {
  it('always makes its own request id; a valid X-Request-ID is kept beside it as client_request_id', async () => {
    const echoed = (await call('/t/ping', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id');
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(deps.logger.lines.find((l) => l.request_id === echoed)).toMatchObject({ client_request_id: 'abc-123' });
    const generated = (await call('/t/ping')).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = (await call('/t/ping', { headers: { 'x-request-id': 'a b<script>' } })).headers.get('x-request-id');
    expect(unsafe).toMatch(/^[0-9a-f-]{36}$/);
    expect(deps.logger.lines.find((l) => l.request_id === unsafe)?.client_request_id).toBeUndefined();
  });

  it('puts the request id in every error body', async () => {
    const res = await call('/nowhere', { headers: { 'x-request-id': 'req-42' } });
    const body = await envelope(res);
    expect(body).toMatchObject({ error: 'NOT_FOUND', request_id: res.headers.get('x-request-id') });
    expect(deps.logger.lines.find((l) => l.client_request_id === 'req-42')?.request_id).toBe(body.request_id);
  });
});

describe('routing errors', () => {
  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    expect((await call('/t/unknown')).status).toBe(404);
    const res = await call('/t/ping', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect((await envelope(res)).error).toBe('METHOD_NOT_ALLOWED');
  });
});

describe('validation → 422', () => {
  const admin = (body: string, headers: Record<string, string> = {}) =>
    call('/t/admin', { method: 'POST', body, headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json', ...headers } });

  it('malformed JSON', async () => {
    const res = await admin('{"name": ');
    expect(res.status).toBe(422);
    expect((await envelope(res)).details?.fields?.body?.[0]).toMatch(/Malformed JSON/);
  });

  it('wrong types, missing and unknown fields, each named', async () => {
    const res = await admin(JSON.stringify({ count: 'three', extra: 1 }));
    expect(res.status).toBe(422);
    const fields = (await envelope(res)).details?.fields ?? {};
    expect(Object.keys(fields).sort()).toEqual(['body.count', 'body.extra', 'body.name']);
    expect(fields['body.extra']).toEqual(['Unknown field']);
  });

  it('a JSON value that is not an object', async () => {
    expect((await admin('[1,2]')).status).toBe(422);
    expect((await admin('"text"')).status).toBe(422);
    expect((await admin('null')).status).toBe(422);
  });

  it('bad path and query values', async () => {
    const headers = { 'x-api-key': 'sk_acme_live' };
    const badQuery = await call('/t/orgs/acme/thing?limit=500', { headers });
    expect(badQuery.status).toBe(422);
    expect(Object.keys((await envelope(badQuery)).details?.fields ?? {})).toEqual(['query.limit']);
    const unknownQuery = await call('/t/orgs/acme/thing?lmit=5', { headers });
    expect(unknownQuery.status).toBe(422);
    const ok = await call('/t/orgs/acme/thing?limit=5', { headers });
    expect(await ok.json()).toMatchObject({ org: 'acme', limit: 5 });
  });

  it('an oversized body is a 413 envelope', async () => {
    const res = await admin(JSON.stringify({ name: 'x'.repeat(deps.config.maxBodyBytes) }));
    expect(res.status).toBe(413);
    expect((await envelope(res)).error).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('unexpected errors', () => {
  it('answer 500 without revealing the cause, and log it', async () => {
    const res = await call('/t/boom', { headers: { 'x-request-id': 'boom-1' } });
    expect(res.status).toBe(500);
    const text = await res.clone().text();
    expect(text).not.toMatch(/hunter2|db\.internal/);
    expect((await envelope(res)).error).toBe('INTERNAL_ERROR');
    const line = deps.logger.lines.find((l) => l.client_request_id === 'boom-1');
    expect(line?.severity).toBe('ERROR');
    expect(JSON.stringify(line)).toMatch(/hunter2/);
  });
});

describe('auth policies', () => {
  it('root: missing or wrong key → 401, right key passes', async () => {
    const body = JSON.stringify({ name: 'ok' });
    const missing = await call('/t/admin', { method: 'POST', body });
    expect(missing.status).toBe(401);
    expect((await envelope(missing)).message).toMatch(/Missing X-CA-Root-Key/);
    const wrong = await call('/t/admin', { method: 'POST', body, headers: { 'x-ca-root-key': TEST_ROOT_KEY + 'x' } });
    expect(wrong.status).toBe(401);
    expect((await call('/t/admin', { method: 'POST', body, headers: { 'x-ca-root-key': TEST_ROOT_KEY } })).status).toBe(200);
  });

  it('authenticates before validating, so a bad body from a stranger is still 401', async () => {
    expect((await call('/t/admin', { method: 'POST', body: '{bad' })).status).toBe(401);
  });

  it('org: missing or unknown key → 401; another org → 403 naming both; suspended → 403; read scope on a write → 403', async () => {
    expect((await call('/t/orgs/acme/thing')).status).toBe(401);
    expect((await call('/t/orgs/acme/thing', { headers: { 'x-api-key': 'sk_nope' } })).status).toBe(401);
    const other = await call('/t/orgs/acme/thing', { headers: { 'x-api-key': 'sk_beta_live' } });
    expect(other.status).toBe(403);
    expect((await envelope(other)).message).toMatch(/'beta'.*'acme'/);
    expect((await call('/t/orgs/susp/thing', { headers: { 'x-api-key': 'sk_susp_live' } })).status).toBe(403);
    expect((await call('/t/orgs/acme/thing', { headers: { 'x-api-key': 'sk_acme_read' } })).status).toBe(200);
    expect((await call('/t/orgs/acme/thing', { method: 'POST', headers: { 'x-api-key': 'sk_acme_read' } })).status).toBe(403);
    expect((await call('/t/orgs/acme/thing', { method: 'POST', headers: { 'x-api-key': 'sk_acme_live' } })).status).toBe(200);
  });

  it('DISABLE_AUTH lets every policy pass outside production', async () => {
    const open = buildFunctionApp('open', routes, await testDeps({ DISABLE_AUTH: 'true' }));
    expect((await open.fetch(new Request('http://x/t/admin', { method: 'POST', body: '{"name":"ok"}' }))).status).toBe(200);
    expect((await open.fetch(new Request('http://x/t/orgs/acme/thing'))).status).toBe(200);
  });
});

describe('CORS', () => {
  it('answers a preflight from a listed origin', async () => {
    const res = await call('/t/admin', { method: 'OPTIONS', headers: { origin: 'https://app.cloudact.test', 'access-control-request-method': 'POST' } });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.cloudact.test');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/X-API-Key/);
  });

  it('adds CORS headers for listed origins only', async () => {
    const listed = await call('/t/ping', { headers: { origin: 'https://app.cloudact.test' } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.cloudact.test');
    expect(listed.headers.get('access-control-expose-headers')).toMatch(/X-Request-ID/);
    const other = await call('/t/ping', { headers: { origin: 'https://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call('/t/admin', { method: 'OPTIONS', headers: { origin: 'https://evil.test' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('request log line', () => {
  it('is structured for Cloud Logging with latency, status, trace and round-trips', async () => {
    await call('/t/warehouse', {
      headers: { 'x-request-id': 'log-1', 'x-cloud-trace-context': '0123456789abcdef0123456789abcdef/1;o=1', 'user-agent': 'vitest' },
    });
    const line = deps.logger.lines.find((l) => l.client_request_id === 'log-1')!;
    expect(line).toMatchObject({
      severity: 'INFO',
      message: 'GET /t/warehouse 200',
      function: 'testfn',
      warehouse_calls: 3,
      warehouse_depth: 2,
      httpRequest: { requestMethod: 'GET', status: 200, userAgent: 'vitest' },
      'logging.googleapis.com/trace': '0123456789abcdef0123456789abcdef',
    });
    expect((line.httpRequest as { latency: string }).latency).toMatch(/^\d+\.\d+s$/);
  });
});

describe('standard routes', () => {
  it('serve health, readiness and an OpenAPI document that lists the auth policy', async () => {
    expect(await (await call('/health')).json()).toMatchObject({ status: 'ok', function: 'testfn', environment: 'development', warehouse: { kind: 'duckdb' } });
    expect((await call('/health/live')).status).toBe(200);
    // Not bootstrapped: not ready, and it says what to do.
    const ready = await call('/health/ready');
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', reason: expect.stringMatching(/bootstrap/) });
    expect(await (await call('/health')).json()).toMatchObject({ warehouse: { kind: 'duckdb', ready: false } });
    const doc = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, { 'x-auth-policy': string }>> };
    expect(doc.paths['/t/admin']?.post?.['x-auth-policy']).toBe('root');
    expect((await call('/docs')).headers.get('content-type')).toMatch(/text\/html/);
  });
});
