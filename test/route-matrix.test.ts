import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDownload, isHtml } from '@cloudact/shared/http/route';
import { allRoutes, concretePath, routeKey } from './support/route-tables.js';
import { authHeaders, buildWorld, happyCases, ORGS, send, type World } from './support/route-matrix-cases.js';

/**
 * The happy-path matrix, generated from the route tables like the security matrix
 * (route-tables.test.ts): every route of every function answers 2xx on seeded data, through the
 * real gateway, with a body its declared response schema parses (a download: its status and
 * content type). A route with no case in test/support/route-matrix-cases.ts fails here by name,
 * so no route ships without one request that succeeds.
 */
const byKey = new Map(allRoutes.map((r) => [routeKey(r.route), r]));
let w: World;

beforeAll(async () => {
  w = await buildWorld();
}, 60_000);
afterAll(async () => {
  await w?.close();
});

describe('every route of every table has a happy case', () => {
  it.each(allRoutes.map((r) => [routeKey(r.route), r.fn] as const))('%s (%s)', (key) => {
    expect(happyCases[key], `${key} has no happy case: add one to happyCases in test/support/route-matrix-cases.ts`).toBeDefined();
  });

  it('every case names a route of a table (no stale cases)', () => {
    expect(Object.keys(happyCases).filter((k) => !byKey.has(k))).toEqual([]);
  });
});

const runnable = Object.entries(happyCases).filter(([key]) => byKey.has(key));

// In the table's order: reads of the seeded world, then the mutations, then the destructive ones.
describe('every route answers 2xx with its declared response on seeded data', () => {
  it.each(runnable)('%s', async (key, c) => {
    const { fn, route } = byKey.get(key)!;
    expect(c.auth, `${key}: the case's auth is the route's policy`).toBe(route.auth);
    const org = c.org ?? 'main';
    const query = new URLSearchParams((typeof c.query === 'function' ? c.query(w) : c.query) ?? {}).toString();
    const path = `${concretePath(route, ORGS[org], c.params?.(w) ?? {})}${query ? `?${query}` : ''}`;
    const body = route.method === 'GET' ? undefined : typeof c.body === 'function' ? (c.body as (w: World) => unknown)(w) : c.body;
    const res = await send(w, { method: route.method, path, headers: { ...authHeaders(c.auth, w, org), 'x-request-id': `matrix-${fn}` }, body });

    const said = `${route.method} ${path} (${fn}) answered ${res.status} ${res.type}: ${res.text.slice(0, 600)}`;
    expect(res.status, said).toBeGreaterThanOrEqual(200);
    expect(res.status, said).toBeLessThan(300);
    expect([route.successStatus ?? 200, ...(route.alsoReplies ?? [])], said).toContain(res.status);
    if (isDownload(route.response)) {
      expect(route.response.contentTypes, said).toContain(res.type.split(';')[0]!.trim());
      expect(res.headers.get('content-disposition'), said).toMatch(/^attachment;/);
    } else if (isHtml(route.response)) {
      expect(res.type, said).toMatch(/^text\/html/);
    } else {
      const parsed = route.response.safeParse(res.text === '' ? undefined : res.body);
      expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`), `${said}\ndoes not match its declared response schema`).toEqual([]);
    }
    if (c.seeded) expect(c.seeded(res.body as Record<string, unknown>), `${said}\ndoes not show the seeded data`).toBe(true);
    await c.then?.(res.body, w);
  });
});
