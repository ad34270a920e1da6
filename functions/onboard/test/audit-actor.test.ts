import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, rowsOf } from '../../../shared/test/support/orgs.js';

/** Every audit row says who acted, under which request, and what changed. */
describe('audit rows name the actor', () => {
  it('rotation (an org key), plan change and deletion (root)', async () => {
    const deps = await testDeps();
    await bootstrap(deps);
    const org = await onboard(deps, 'actor_co');
    const app = buildFunctionApp('onboard', routes, deps);
    const call = (method: string, path: string, headers: Record<string, string>, body: unknown) =>
      app.fetch(new Request(`http://fn${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }));
    const root = { 'x-ca-root-key': TEST_ROOT_KEY };

    const rotated = await call('POST', '/api/v1/organizations/actor_co/api-key/rotate', { 'x-api-key': org.api_key, 'x-request-id': 'client-rotate' }, {});
    expect(rotated.status).toBe(200);
    const plan = await call('PUT', '/api/v1/organizations/actor_co/subscription', { ...root, 'x-request-id': 'client-plan' }, { plan_name: 'SCALE' });
    expect(plan.status).toBe(200);
    const removed = await call('DELETE', '/api/v1/organizations/actor_co', root, { confirm_org_slug: 'actor_co' });
    expect(removed.status).toBe(200);

    const row = async (action: string) => (await rowsOf(deps, 'org_audit_logs', 'actor_co', `action = '${action}'`))[0]!;
    expect(await row('API_KEY_ROTATE')).toMatchObject({
      actor_type: 'org', actor_id: org.api_key_id, api_key_id: org.api_key_id,
      request_id: rotated.headers.get('x-request-id'), client_request_id: 'client-rotate',
    });
    const planRow = await row('SUBSCRIPTION_UPDATE');
    expect(planRow).toMatchObject({ actor_type: 'root', actor_id: 'root', api_key_id: null, request_id: plan.headers.get('x-request-id'), client_request_id: 'client-plan' });
    expect(planRow.details).toMatchObject({ before: { plan_name: 'STARTER' }, after: { plan_name: 'SCALE' } });
    const deleteRow = await row('ORG_DELETE');
    expect(deleteRow).toMatchObject({ actor_type: 'root', actor_id: 'root', request_id: removed.headers.get('x-request-id') });
    expect(deleteRow.details).toMatchObject({ before: { status: 'ACTIVE' }, after: { status: 'DELETED' } });
    // Onboarding, done by a verb call in the test, names its actor too.
    expect(await row('ONBOARD')).toMatchObject({ actor_type: 'root' });
  });
});
