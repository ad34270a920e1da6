import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildFunctionApp } from '../src/app/function.js';
import { defineRoute, HTML, Reply, type RouteDef } from '../src/http/route.js';
import { testDeps } from './support/deps.js';

/**
 * Every response is checked against its route's declared schema outside production. These
 * tiny routes lie about what they return (the casts stand for a verb whose declared type is
 * wrong, e.g. a row cast from the warehouse), which is what the run-time check is for.
 */
const Pong = z.strictObject({ pong: z.boolean(), at: z.iso.datetime() });
type Pong = z.input<typeof Pong>;
const lie = (value: unknown) => value as Pong;

const routes: RouteDef[] = [
  defineRoute({ method: 'GET', path: '/t/good', auth: 'public', summary: 'true to its schema', response: Pong,
    async handler() { return { pong: true, at: new Date(0).toISOString() }; } }),
  defineRoute({ method: 'GET', path: '/t/wrong-type', auth: 'public', summary: 'a field of the wrong type', response: Pong,
    async handler() { return lie({ pong: 'yes', at: new Date(0).toISOString() }); } }),
  defineRoute({ method: 'GET', path: '/t/extra', auth: 'public', summary: 'an undocumented field', response: Pong,
    async handler() { return lie({ pong: true, at: new Date(0).toISOString(), secret_hash: 'abc' }); } }),
  defineRoute({ method: 'GET', path: '/t/date', auth: 'public', summary: 'a Date is checked as the string it is sent as', response: Pong,
    async handler() { return lie({ pong: true, at: new Date(0) }); } }),
  defineRoute({ method: 'POST', path: '/t/status', auth: 'public', summary: 'a Reply with an undeclared status', response: Pong, successStatus: 201,
    async handler() { return new Reply(202, { pong: true, at: new Date(0).toISOString() }); } }),
  defineRoute({ method: 'GET', path: '/t/raw', auth: 'public', summary: 'a raw Response on a JSON route', response: Pong,
    async handler() { return lie(new Response('{}', { headers: { 'content-type': 'application/json' } })); } }),
  defineRoute({ method: 'GET', path: '/t/page', auth: 'public', summary: 'HTML is exempt from the schema', response: HTML,
    async handler() { return new Response('<p>hi</p>', { headers: { 'content-type': 'text/html; charset=utf-8' } }); } }),
];

// The compile-time half: a handler whose type does not match its schema does not build.
defineRoute({ method: 'GET', path: '/t/typed', auth: 'public', summary: 'compile-time check', response: Pong,
  // @ts-expect-error -- `pong` must be a boolean
  async handler() { return { pong: 'yes', at: '1970-01-01T00:00:00.000Z' }; } });
defineRoute({ method: 'GET', path: '/t/typed-reply', auth: 'public', summary: 'compile-time check of a Reply', response: Pong,
  // @ts-expect-error -- the Reply's body misses `at`
  async handler() { return new Reply(201, { pong: true }); } });
defineRoute({ method: 'GET', path: '/t/typed-raw', auth: 'public', summary: 'compile-time check of a raw Response', response: Pong,
  // @ts-expect-error -- only an HTML route may return a Response
  async handler() { return new Response('{}'); } });

describe('response check in development (tests run here)', async () => {
  const deps = await testDeps();
  const app = buildFunctionApp('testfn', routes, deps);
  const get = (path: string, method = 'GET') => app.fetch(new Request(`http://fn.test${path}`, { method }));

  it('lets a response that matches its schema through unchanged', async () => {
    const res = await get('/t/good');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true, at: '1970-01-01T00:00:00.000Z' });
  });

  it.each([
    ['/t/wrong-type', 'GET', /pong: Invalid input: expected boolean/],
    ['/t/extra', 'GET', /undocumented field\(s\) secret_hash/],
    ['/t/status', 'POST', /status 202 is not declared/],
    ['/t/raw', 'GET', /raw Response/],
  ])('fails %s loudly: a 500 naming the route and the mismatch, and an ERROR log line', async (path, method, problem) => {
    const res = await get(path, method);
    expect(res.status).toBe(500);
    const body = (await res.json()) as { error: string; message: string; details: { route: string; problems: string[] }; request_id: string };
    expect(body.error).toBe('INTERNAL_ERROR');
    expect(body.details.route).toBe(`${method} ${path}`);
    expect(body.message).toMatch(problem);
    const line = deps.logger.lines.find((l) => l.severity === 'ERROR' && l.request_id === body.request_id && String(l.message).includes('does not match its declared schema'));
    expect(line, 'the mismatch is logged').toBeDefined();
    expect((line!.problems as string[]).join('; ')).toMatch(problem);
  });

  it('checks the JSON a client receives: a Date is sent as a string and passes as one', async () => {
    const res = await get('/t/date');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: true, at: '1970-01-01T00:00:00.000Z' });
  });

  it('exempts HTML pages', async () => {
    const res = await get('/t/page');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('<p>hi</p>');
  });
});

describe('response check outside development', () => {
  it('staging logs a mismatch at ERROR and answers unchanged', async () => {
    const deps = await testDeps({ ENVIRONMENT: 'staging' });
    const app = buildFunctionApp('testfn', routes, deps);
    const res = await app.fetch(new Request('http://fn.test/t/extra'));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ secret_hash: 'abc' });
    expect(deps.logger.lines.some((l) => l.severity === 'ERROR' && String(l.message).includes('GET /t/extra'))).toBe(true);
  });

  it('production never checks', async () => {
    // A production config refuses local adapters at load (by design); the check reads only config.environment.
    const base = await testDeps();
    const prod = { ...base, config: { ...base.config, environment: 'production' as const } };
    const app = buildFunctionApp('testfn', routes, prod);
    const res = await app.fetch(new Request('http://fn.test/t/wrong-type'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pong: 'yes', at: '1970-01-01T00:00:00.000Z' });
    expect(base.logger.lines.some((l) => String(l.message).includes('does not match'))).toBe(false);
  });
});
