import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as integrationsRoutes } from '../../integrations/src/routes.js';
import { KEY_CERTS, startProviderStandIns, type ProviderStandIns } from '../../integrations/test/support/providers.js';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { alertsApp, type AlertsApp } from './support/app.js';
import { httpReceiver } from './support/receivers.js';

/**
 * credential_expiry end to end: the integrations function sets up a GCP service account against
 * the provider stand-ins, which publish its key's certificate (notAfter 2026-04-20); the key's
 * expiry is recorded with the validation, and the alerts rule fires at 30 and 7 days, once each.
 */
const ORG = 'keys_co';
let a: AlertsApp;
let providers: ProviderStandIns;
let hook: Awaited<ReturnType<typeof httpReceiver>>;
let integrations: ReturnType<typeof buildFunctionApp>;

const integ = async (method: string, path: string, body?: unknown) => {
  const res = await integrations.fetch(new Request(`http://fn/api/v1/integrations/${ORG}${path}`, { method, headers: { 'x-api-key': a.key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
};
async function root(body: Record<string, unknown>) {
  const res = await a.app.fetch(new Request('http://fn/api/v1/admin/alerts/process-all', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ org_slug: ORG, alert_types: ['credential_expiry'], ...body }) }));
  return { status: res.status, body: await res.json() as Record<string, any> };
}
const got = () => hook.got.filter((g) => g.path === '/keys').map((g) => JSON.parse(g.body).data as Record<string, unknown>);

beforeAll(async () => {
  let clock = () => new Date();
  providers = await startProviderStandIns({ now: () => clock() });
  hook = await httpReceiver();
  a = await alertsApp(ORG, { env: providers.env(), now: '2026-03-20T12:00:00Z' });
  clock = a.deps.clock;
  integrations = buildFunctionApp('integrations', integrationsRoutes, a.deps);
}, 60_000);
afterAll(async () => { await providers.close(); await hook.close(); });

describe('credential_expiry', () => {
  it('a service account whose key never expires records 9999-12-31; an API key records none; an unpublished certificate leaves it unknown and the check VALID', async () => {
    const setup = await integ('POST', '/gcp/setup', { credential: providers.serviceAccount().json, credential_name: 'billing export' });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    expect(setup.body.validation_status, JSON.stringify(setup.body)).toBe('VALID');
    expect((await integ('GET', '/gcp')).body.key_expires_at).toBe('9999-12-31T23:59:59.000Z');
    providers.accepted.add('sk-proj-keysco0000000000000001');
    expect((await integ('POST', '/openai/setup', { credential: 'sk-proj-keysco0000000000000001' })).body.validation_status).toBe('VALID');
    expect((await integ('GET', '/openai')).body.key_expires_at).toBeNull();
    providers.keyCerts.clear();
    const again = await integ('POST', '/gcp/validate');
    expect(again.body.validation_status, JSON.stringify(again.body)).toBe('VALID');
    expect((await integ('GET', '/gcp')).body.key_expires_at).toBeNull();
  });

  it('a key that expires on 2026-04-20: recorded at validation; the rule fires at 30 days and at 7, once each, and for the expired key', async () => {
    providers.keyCerts.set('abcdef0123456789', KEY_CERTS.expires_2026_04_20);
    expect((await integ('POST', '/gcp/validate')).body.validation_status).toBe('VALID');
    expect((await integ('GET', '/gcp')).body.key_expires_at).toBe('2026-04-20T00:00:00.000Z');
    const channel = (await a.call('POST', '/channels', { channel_type: 'webhook', name: 'Keys', webhook_url: hook.url('/keys') })).body.channel_id;
    const created = await a.call('POST', '/rules', { name: 'Key expiry', rule_type: 'credential_expiry', conditions: {}, notify_channel_ids: [channel], cooldown_minutes: 0 });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ rule_category: 'integration', conditions: { expiry_warning_days: [30, 7, 1] } });
    // 2026-03-19 12:00: 31 days and 12 hours left, outside every warning.
    a.time.set('2026-03-19T12:00:00Z');
    expect((await root({})).body.alerts_triggered).toBe(0);
    a.time.set('2026-03-25T12:00:00Z');
    const first = await root({});
    expect(first.body.alerts_triggered, JSON.stringify(first.body)).toBe(1);
    expect((await root({})).body.alerts_triggered).toBe(0);
    a.time.set('2026-04-14T12:00:00Z');
    expect((await root({})).body.alerts_triggered).toBe(1);
    a.time.set('2026-04-20T00:00:01Z');
    expect((await root({})).body.alerts_triggered).toBe(1);
    expect(got().map((d) => [d.expiry_warning_days, d.days_left])).toEqual([[30, 25], [7, 5], [0, -1]]);
    expect(got()[0]).toMatchObject({ rule_type: 'credential_expiry', provider: 'GCP_SA', key_expires_at: '2026-04-20T00:00:00.000Z' });
  });
});
