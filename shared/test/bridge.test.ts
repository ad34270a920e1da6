import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { startFunction, type StartedFunction } from '../src/app/function.js';
import type { VerifiedOrgKey } from '../src/context/index.js';
import { defineRoute, download, Reply, type RouteDef } from '../src/http/route.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';
import { memoryLogger, TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from './support/deps.js';
import { listen } from './support/http.js';
import { mapOrgKeys } from './support/org-keys.js';

/**
 * Deployed, a request reaches the router through functions-framework and the light bridge
 * (fromFramework → app.handle → writeAnswer); the local gateway and the other tests go through
 * `app.fetch`. The same requests are sent both ways here, and every answer and log line must be
 * the same but for the ids and the latency.
 */
const routes: RouteDef[] = [
  defineRoute({ method: 'GET', path: '/b/ping', auth: 'public', summary: 'ping', response: z.object({ pong: z.boolean() }), async handler() { return { pong: true }; } }),
  defineRoute({
    method: 'GET', path: '/b/orgs/{org_slug}/thing', auth: 'org', summary: 'org read',
    params: z.object({ org_slug: z.string().regex(/^[a-z0-9_]{3,50}$/) }),
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(10), tag: z.union([z.string(), z.array(z.string())]).optional() }),
    response: z.object({ org: z.string(), limit: z.number(), tag: z.union([z.string(), z.array(z.string())]).optional() }),
    async handler({ params, query }) { return { org: params.org_slug, limit: query.limit, tag: query.tag }; },
  }),
  defineRoute({
    method: 'POST', path: '/b/admin', auth: 'root', summary: 'admin write', successStatus: 201, alsoReplies: [202],
    body: z.strictObject({ name: z.string().min(2) }),
    response: z.object({ got: z.string() }),
    async handler({ body }) { return body.name === 'later' ? new Reply(202, { got: 'later' }, { 'Retry-After': '3' }) : { got: body.name }; },
  }),
  defineRoute({
    method: 'GET', path: '/b/download', auth: 'public', summary: 'streamed download', response: download(['text/csv']),
    async handler() {
      let i = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          if (i === DOWNLOAD_CHUNKS) return controller.close();
          controller.enqueue(Buffer.from(`${String(i++).padStart(6, '0')},${'x'.repeat(16_000)}\n`));
        },
      }, { highWaterMark: 1 });
      return new Response(body, { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="rows.csv"' } });
    },
  }),
  defineRoute({ method: 'GET', path: '/b/boom', auth: 'public', summary: 'boom', response: z.object({}), async handler() { throw new Error('secret detail'); } }),
];

const DOWNLOAD_CHUNKS = 1500;
let pulled = 0;
const keys: Record<string, VerifiedOrgKey> = { sk_acme: { orgSlug: 'acme', keyId: 'k1', scopes: ['read', 'write'], orgStatus: 'ACTIVE' } };
const ORIGIN = 'https://app.cloudact.test';
let started: StartedFunction;
let logs: ReturnType<typeof memoryLogger>;
let base: string;
let close: () => Promise<void>;

beforeAll(async () => {
  logs = memoryLogger();
  // RATE_LIMITS off: each case sends the same request twice, and a budget would count them apart.
  started = await startFunction('bridgefn', routes, { CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', CORS_ORIGINS: ORIGIN, MAX_BODY_BYTES: '64', RATE_LIMITS: 'off' }, {
    warehouse: await DuckDbWarehouse.open(':memory:'), logger: logs, orgKeys: () => mapOrgKeys(keys),
  });
  http('bridgefn', started.handler);
  ({ url: base, close } = await listen(getTestServer('bridgefn')));
});
afterAll(async () => {
  await close?.();
  await started?.deps.warehouse.close();
});

interface Seen { status: number; headers: Record<string, string>; body: string; log: Record<string, unknown> }

/** What a client and the logs see, without what differs per request (ids, latency, date). */
function normalise(status: number, headers: Record<string, string>, body: string, log: Record<string, unknown>): Seen {
  const kept = Object.fromEntries(Object.entries(headers).filter(([k]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'x-powered-by'].includes(k)));
  expect(kept['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  kept['x-request-id'] = '<id>';
  const { time: _t, request_id: rid, httpRequest, error, ...rest } = log as { time: string; request_id: string; httpRequest: Record<string, unknown>; error?: { stack?: string } };
  expect(rid).toBe(headers['x-request-id']);
  return {
    status, headers: kept, body: body.replaceAll(headers['x-request-id']!, '<id>'),
    // The logged cause's stack names the caller, which differs by path.
    log: { ...rest, httpRequest: { ...httpRequest, latency: '<latency>' }, ...(error ? { error: { ...error, stack: '<stack>' } } : {}) },
  };
}

function lastLog(): Record<string, unknown> {
  return logs.lines.filter((l) => typeof l.httpRequest === 'object').at(-1)!;
}

async function viaFetch(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Seen> {
  const res = await started.app.fetch(new Request(`http://fn.test${path}`, { method, headers, body }));
  const text = await res.text();
  return normalise(res.status, Object.fromEntries(res.headers), text, lastLog());
}

/** Raw HTTP, so the target goes out exactly as written (fetch would normalise it). */
function viaFramework(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = httpRequest({ hostname, port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        try {
          resolve(normalise(res.statusCode!, Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])), text, lastLog()));
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
const cases: [string, string, string, Record<string, string>, string?][] = [
  ['public GET', 'GET', '/b/ping', {}],
  ['HEAD on a GET route', 'HEAD', '/b/ping', {}],
  ['unknown path', 'GET', '/b/nowhere', {}],
  ['wrong method, with Allow', 'DELETE', '/b/ping', {}],
  ['dot segments resolve like a URL', 'GET', '/b/x/../ping', {}],
  ['trailing slash', 'GET', '/b/ping/', {}],
  ['CORS preflight', 'OPTIONS', '/b/orgs/acme/thing', { origin: ORIGIN, 'access-control-request-method': 'GET' }],
  ['CORS on an answer, client request id kept beside ours', 'GET', '/b/ping', { origin: ORIGIN, 'x-request-id': 'client-1' }],
  ['org route: no key', 'GET', '/b/orgs/acme/thing', {}],
  ['org route: another org', 'GET', '/b/orgs/beta/thing', { 'x-api-key': 'sk_acme' }],
  ['org route, query parsed, no-store', 'GET', '/b/orgs/acme/thing?limit=5&tag=a&tag=b', { 'x-api-key': 'sk_acme', 'x-forwarded-for': '6.6.6.6, 203.0.113.9', 'user-agent': 'bridge-test' }],
  ['query refused', 'GET', '/b/orgs/acme/thing?limit=0', { 'x-api-key': 'sk_acme' }],
  ['body accepted', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, '{"name":"ada"}'],
  ['Reply with its own status and header', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, '{"name":"later"}'],
  ['body refused by its schema', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, '{"name":"a","x":1}'],
  ['malformed JSON', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, '{"name":'],
  ['empty body is {}', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, ''],
  ['body too large', 'POST', '/b/admin', { ...json, 'x-ca-root-key': TEST_ROOT_KEY }, JSON.stringify({ name: 'x'.repeat(100) })],
  ['a streamed download', 'GET', '/b/download', {}],
  ['HEAD on a download', 'HEAD', '/b/download', {}],
  ['500 says nothing of its cause and logs it', 'GET', '/b/boom', { 'x-cloud-trace-context': '0123456789abcdef0123456789abcdef/1;o=1' }],
];

describe('functions-framework bridge answers exactly as app.fetch does', () => {
  it.each(cases)('%s', async (_name, method, path, headers, body) => {
    const framework = await viaFramework(method, path, headers, body);
    const fetched = await viaFetch(method, path, headers, body);
    expect(framework).toEqual(fetched);
  });

  it('a download is piped with backpressure: a client that stops reading stops the pulls', async () => {
    pulled = 0;
    const { hostname, port } = new URL(base);
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => httpRequest({ hostname, port, path: '/b/download', method: 'GET' }, resolve).on('error', reject).end());
    expect(res.headers['content-disposition']).toBe('attachment; filename="rows.csv"');
    res.pause();
    await new Promise((r) => setTimeout(r, 300));
    // 1500 chunks of 16 kB (24 MB) are on offer; only what the socket buffers have room for was pulled.
    const whilePaused = pulled;
    if (whilePaused >= DOWNLOAD_CHUNKS / 2) res.destroy();
    expect(whilePaused).toBeLessThan(DOWNLOAD_CHUNKS / 2);
    let size = 0;
    res.on('data', (c: Buffer) => { size += c.length; });
    res.resume();
    await new Promise((r) => res.on('end', r));
    expect(size).toBe(DOWNLOAD_CHUNKS * 16_008);
    expect(pulled).toBe(DOWNLOAD_CHUNKS + 1);
  });

  it('the cases cover the edges they name', async () => {
    expect((await viaFramework('HEAD', '/b/ping', {})).body).toBe('');
    // Fetch cannot even carry TRACE (the local gateway answers it itself): the bridge's own answer.
    const trace = await viaFramework('TRACE', '/b/ping', {});
    expect(trace.status).toBe(405);
    expect(JSON.parse(trace.body)).toMatchObject({ error: 'METHOD_NOT_ALLOWED', request_id: '<id>', details: { allowed: ['GET', 'HEAD'] } });
    const own = await viaFramework('GET', '/b/orgs/acme/thing?limit=5&tag=a&tag=b', { 'x-api-key': 'sk_acme' });
    expect(own.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(own.body)).toEqual({ org: 'acme', limit: 5, tag: ['a', 'b'] });
    expect(own.log).toMatchObject({ org_slug: 'acme', org_api_key_id: 'k1', warehouse_calls: 0, warehouse_depth: 0 });
    const client = await viaFramework('GET', '/b/ping', { 'x-request-id': 'client-1', origin: ORIGIN });
    expect(client.log.client_request_id).toBe('client-1');
    expect(client.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect((await viaFramework('GET', '/b/x/../ping', {})).status).toBe(200);
    const boom = await viaFramework('GET', '/b/boom', {});
    expect(boom.body).not.toMatch(/secret/);
    expect(boom.log.error).toMatchObject({ message: 'secret detail' });
  });
});
