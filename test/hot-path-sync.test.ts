import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { createLogger } from '@cloudact/shared';
import { flushStdout } from '../shared/src/logger.js';
import { fromFramework, type FrameworkRequest } from '../shared/src/http/bridge.js';
import { routes as localeRoutes } from '../functions/locale/src/routes.js';
import { testDeps } from '../shared/test/support/deps.js';
import { bootstrap, onboard } from '../shared/test/support/orgs.js';

/**
 * The deployed hot path (issue 22): functions-framework runs every request in a Node domain whose
 * async hook makes each promise dear, so a warm GET /locale (cached key, in-memory limiter,
 * cached profile, synchronous handler) must answer without one; and a busy instance writes its
 * request lines in one stdout write per event-loop turn.
 */
describe('the warm locale read answers synchronously', () => {
  it('handle() returns a Promise for the cold read and the answer itself once warm', async () => {
    const deps = await testDeps({ RATE_LIMITS: 'on' });
    await bootstrap(deps);
    const { api_key: key } = await onboard(deps, 'sync_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata' });
    const app = buildFunctionApp('locale', localeRoutes, deps);
    const request = (): FrameworkRequest => ({ method: 'GET', originalUrl: '/api/v1/organizations/sync_co/locale', url: '/api/v1/organizations/sync_co/locale', headers: { 'x-api-key': key } });
    const cold = app.handle(fromFramework(request()));
    expect(cold).toBeInstanceOf(Promise);
    expect((await cold).status).toBe(200);
    const warm = app.handle(fromFramework(request()));
    expect(warm).not.toBeInstanceOf(Promise);
    const answer = warm as Exclude<typeof warm, Promise<unknown>>;
    expect(answer.status).toBe(200);
    expect(JSON.parse(String(answer.body))).toMatchObject({ org_slug: 'sync_co', default_currency: 'INR', currency_symbol: '₹', default_timezone: 'Asia/Kolkata' });
    expect(answer.headers['ratelimit-remaining']).toBeDefined();
  });
});

describe('stdout request lines', () => {
  afterEach(() => vi.restoreAllMocks());

  it('lines of one turn leave in one write, at the end of the turn; an ERROR line flushes at once', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { writes.push(String(chunk)); return true; });
    const logger = createLogger({ level: 'INFO' });
    logger.log('INFO', 'one');
    logger.log('INFO', 'two');
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['one', 'two']);
    logger.log('INFO', 'three');
    logger.log('ERROR', 'four');
    expect(writes).toHaveLength(2);
    expect(writes[1]!.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['three', 'four']);
    flushStdout();
    expect(writes).toHaveLength(2);
  });
});
