import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes } from '../src/routes.js';
import { routes as localeRoutes } from '../../locale/src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';

const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

describe('destructive bootstrap runs', () => {
  it('exclude each other: of two at once one runs and the other gets 409; onboarding works afterwards', async () => {
    const deps = await testDeps();
    await bootstrap(deps);
    const app = buildFunctionApp('bootstrap', routes, deps);
    const wipe = () => app.fetch(new Request('http://fn/api/v1/admin/bootstrap', { method: 'POST', headers: root, body: JSON.stringify({ force_recreate_tables: true }) }));
    const answers = await Promise.all([wipe(), wipe()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const conflict = (await answers.find((r) => r.status === 409)!.json()) as { details: { reason: string } };
    expect(conflict.details.reason).toBe('bootstrap_running');
    expect(answers.find((r) => r.status === 409)!.headers.get('retry-after')).toBeTruthy();
    // The lock row is back: onboarding is not left broken.
    expect((await onboard(deps, 'after_wipe')).org_slug).toBe('after_wipe');
  });

  it('clear every cache that described the dropped tables: a cached key stops working at once', async () => {
    const deps = await testDeps();
    await bootstrap(deps);
    const { api_key } = await onboard(deps, 'cached_co');
    const locale = buildFunctionApp('locale', localeRoutes, deps);
    const get = () => locale.fetch(new Request('http://fn/api/v1/organizations/cached_co/locale', { headers: { 'x-api-key': api_key } }));
    expect((await get()).status).toBe(200); // key and profile now cached on this instance
    const app = buildFunctionApp('bootstrap', routes, deps);
    const wiped = await app.fetch(new Request('http://fn/api/v1/admin/bootstrap', { method: 'POST', headers: root, body: JSON.stringify({ force_recreate_tables: true }) }));
    expect(wiped.status).toBe(200);
    expect((await get()).status).toBe(401);
  });
});
