import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildFunctionApp } from '../src/app/function.js';
import { NotFoundError } from '../src/errors.js';
import { defineRoute, Reply, type RouteDef } from '../src/http/route.js';
import { beginUse, IDEMPOTENCY_TTL_MS } from '../src/idempotency/use.js';
import { DuckDbWarehouse } from '../src/warehouse/duckdb.js';
import { testDeps, TEST_ROOT_KEY } from './support/deps.js';
import { FaultyWarehouse } from './support/faulty-warehouse.js';
import { bootstrap, settableClock, testCtx } from './support/orgs.js';

async function setup(concurrent = false, env: Record<string, string> = {}) {
  const time = settableClock();
  const deps = await testDeps(env, { clock: time.clock, warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: concurrent }) });
  await bootstrap(deps);
  // Every request has its own id (the claim's read-back tells the claimer by it).
  let n = 0;
  const ctx = () => testCtx(deps, { kind: 'root' }, `req-${++n}`);
  return { deps, time, ctx };
}
const body = (s: string) => new TextEncoder().encode(s);
const use = { key: 'k-1', scope: 'acme', callerId: 'key-1', method: 'POST', path: '/api/v1/x', body: body('{"a":1}') };

describe('Idempotency-Key uses', () => {
  it('the first request runs; a repeat gets the stored answer without running; the key is scoped to its org', async () => {
    const { ctx } = await setup();
    const first = await beginUse(ctx(), use);
    expect(first.kind).toBe('run');
    if (first.kind === 'run') await first.finish(201, '{"id":"x1"}', false);
    expect(await beginUse(ctx(), use)).toEqual({ kind: 'replay', status: 201, body: '{"id":"x1"}', headers: {} });
    expect((await beginUse(ctx(), { ...use, scope: 'other_org' })).kind).toBe('run');
  });

  it('the same key with another body, path, method or caller is refused (422) naming what differs', async () => {
    const { ctx } = await setup();
    const first = await beginUse(ctx(), use);
    if (first.kind === 'run') await first.finish(200, '{}', false);
    await expect(beginUse(ctx(), { ...use, body: body('{"a":2}') })).rejects.toThrow(/body differ/);
    await expect(beginUse(ctx(), { ...use, path: '/api/v1/y' })).rejects.toThrow(/path differ/);
    await expect(beginUse(ctx(), { ...use, callerId: 'key-2' })).rejects.toThrow(/caller differ/);
  });

  it('a repeat while the first still runs is 409 with Retry-After; a failed first (released) lets the retry run', async () => {
    const { ctx } = await setup();
    const first = await beginUse(ctx(), use);
    await expect(beginUse(ctx(), use)).rejects.toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 120 }); // the rest of its lease (the function's deadline)
    if (first.kind === 'run') await first.release();
    expect((await beginUse(ctx(), use)).kind).toBe('run');
  });

  it('an answer with a secret is stored encrypted (not readable in the table) and decrypted for the replay', async () => {
    const { ctx, deps } = await setup();
    const first = await beginUse(ctx(), use);
    if (first.kind === 'run') await first.finish(200, '{"api_key":"sk_acme_SECRET"}', true);
    const [row] = await deps.warehouse.query({ sql: `SELECT response_data, response_encrypted FROM ${deps.warehouse.table('organizations', 'org_idempotency_keys')} WHERE idempotency_key = 'k-1'` });
    expect(row!.response_data).toBeNull();
    expect(Buffer.from(row!.response_encrypted as Buffer).toString('latin1')).not.toContain('SECRET');
    expect(await beginUse(ctx(), use)).toEqual({ kind: 'replay', status: 200, body: '{"api_key":"sk_acme_SECRET"}', headers: {} });
  });

  it('after 24 hours the key runs again, and expired uses (their secrets too) are deleted by the next completion', async () => {
    const { ctx, deps, time } = await setup();
    const first = await beginUse(ctx(), use);
    if (first.kind === 'run') await first.finish(200, '{"api_key":"old"}', true);
    time.advance(IDEMPOTENCY_TTL_MS + 1000);
    const other = await beginUse(ctx(), { ...use, key: 'k-2' });
    if (other.kind === 'run') await other.finish(200, '{}', false);
    const rows = await deps.warehouse.query({ sql: `SELECT idempotency_key FROM ${deps.warehouse.table('organizations', 'org_idempotency_keys')} WHERE state != 'LOCK' ORDER BY 1` });
    expect(rows.map((r) => r.idempotency_key)).toEqual(['k-2']);
    expect((await beginUse(ctx(), use)).kind).toBe('run');
  });

  it('ten concurrent first uses of one key: exactly one runs (claims conflict like on BigQuery)', async () => {
    const { ctx } = await setup(true);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => beginUse(ctx(), use)));
    const runs = outcomes.filter((o) => o.status === 'fulfilled' && o.value.kind === 'run');
    expect(runs).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'CONFLICT' });
  });

  it('without the lock row (not bootstrapped since): 503 naming bootstrap, and the key is left free', async () => {
    const { ctx, deps } = await setup();
    await deps.warehouse.execute({ sql: `DELETE FROM ${deps.warehouse.table('organizations', 'org_idempotency_keys')} WHERE state = 'LOCK'` });
    await expect(beginUse(ctx(), use)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/bootstrap/) });
    await bootstrap(deps);
    expect((await beginUse(ctx(), use)).kind).toBe('run');
  });

  it('the query string is part of the request: the same key with another query is refused', async () => {
    const { ctx } = await setup();
    const first = await beginUse(ctx(), { ...use, path: '/api/v1/x?end_date=2026-03-01' });
    if (first.kind === 'run') await first.finish(200, '{}', false);
    await expect(beginUse(ctx(), { ...use, path: '/api/v1/x?end_date=2026-04-01' })).rejects.toThrow(/path differ/);
  });

  it('a second lock row (two bootstraps at once) does not make a finished request run again', async () => {
    const { ctx, deps } = await setup();
    const t = deps.warehouse.table('organizations', 'org_idempotency_keys');
    await deps.warehouse.execute({ sql: `INSERT INTO ${t} (idempotency_key, org_slug, state, created_at, updated_at) SELECT idempotency_key, org_slug, state, created_at, updated_at FROM ${t} WHERE state = 'LOCK'` });
    const first = await beginUse(ctx(), use);
    expect(first.kind).toBe('run');
    if (first.kind === 'run') await first.finish(201, '{"id":"x1"}', false);
    expect(await beginUse(ctx(), use)).toMatchObject({ kind: 'replay', status: 201, body: '{"id":"x1"}' });
    // And a repeat while it runs is still 409, not a second run.
    const other = await beginUse(ctx(), { ...use, key: 'k-2' });
    expect(other.kind).toBe('run');
    await expect(beginUse(ctx(), { ...use, key: 'k-2' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('with two lock rows, ten concurrent first uses of one key still run exactly once', async () => {
    const { ctx, deps } = await setup(true);
    const t = deps.warehouse.table('organizations', 'org_idempotency_keys');
    await deps.warehouse.execute({ sql: `INSERT INTO ${t} (idempotency_key, org_slug, state, created_at, updated_at) SELECT idempotency_key, org_slug, state, created_at, updated_at FROM ${t} WHERE state = 'LOCK'` });
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => beginUse(ctx(), use)));
    expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.kind === 'run')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'CONFLICT' });
  });

  it('a RUNNING use is held for the function\'s deadline, not 10 minutes, and Retry-After says when its lease ends', async () => {
    const { ctx, time } = await setup(false, { FUNCTION_TIMEOUT_SECONDS: '120', ONBOARDING_LEASE_SECONDS: '300' });
    const first = await beginUse(ctx(), use); // its request is killed: the row stays RUNNING
    expect(first.kind).toBe('run');
    time.advance(30_000);
    await expect(beginUse(ctx(), use)).rejects.toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 90 });
    time.advance(89_000);
    await expect(beginUse(ctx(), use)).rejects.toMatchObject({ code: 'CONFLICT', retryAfterSeconds: 1 });
    time.advance(2_000); // 121 s after the claim: the request that held it is dead
    expect((await beginUse(ctx(), use)).kind).toBe('run');
  });
});

describe('Idempotency-Key through the router', () => {
  let created = 0;
  const routes: RouteDef[] = [
    defineRoute({
      method: 'POST', path: '/t/things', auth: 'root', summary: 'create', response: z.object({ id: z.string() }), successStatus: 201,
      async handler() { created++; return new Reply(201, { id: `t${created}` }, { location: `/t/things/t${created}` }); },
    }),
    defineRoute({
      method: 'POST', path: '/t/missing', auth: 'root', summary: 'refuse', response: z.object({}),
      async handler() { created++; throw new NotFoundError('No such thing'); },
    }),
  ];
  async function app() {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const deps = await testDeps({}, { warehouse: faulty });
    await bootstrap(deps);
    const post = (path: string) => buildFunctionApp('t', routes, deps).fetch(new Request(`http://fn${path}`, { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'idempotency-key': 'r-1' } }));
    return { faulty, deps, post };
  }

  it('a replay keeps the headers the handler set (Location)', async () => {
    const { post } = await app();
    const first = await post('/t/things');
    expect(first.status).toBe(201);
    const again = await post('/t/things');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.status).toBe(201);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(await again.json()).toEqual(await first.json());
  });

  it('a refusal whose answer cannot be stored is still the refusal (not 503), and the key is released', async () => {
    const { faulty, post } = await app();
    created = 0;
    faulty.armAt(2, 'before'); // 1: the claim; 2: storing the 404
    const refused = await post('/t/missing');
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ error: 'NOT_FOUND' });
    // Released: the retry runs (and is refused again, stored this time), instead of 409 for the lease.
    const retry = await post('/t/missing');
    expect(retry.status).toBe(404);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect(created).toBe(2);
  });
});
