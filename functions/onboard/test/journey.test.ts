import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { functionTables } from '../../../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

/** The README's onboarding journey, over HTTP on the local gateway (embedded DuckDB). */
let base: string;
let close: () => void;
let deps: Awaited<ReturnType<typeof testDeps>>;
const time = settableClock();
const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

beforeAll(async () => {
  deps = await testDeps({}, { clock: time.clock });
  const gw = createLocalGateway(functionTables, deps);
  const { server, url } = await gw.listen(0);
  base = url;
  close = () => server.close();
  const boot = await fetch(`${base}/api/v1/admin/bootstrap`, { method: 'POST', headers: root });
  expect(boot.status).toBe(200);
});
afterAll(() => close?.());

async function api<T = Record<string, unknown>>(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

const onboardBody = (slug: string, extra: Record<string, unknown> = {}) => ({ org_slug: slug, company_name: `${slug} Ltd`, admin_email: `ops@${slug.replace(/_/g, '-')}.test`, subscription_plan: 'PROFESSIONAL', ...extra });

describe('onboarding journey', () => {
  let key = '';

  it('dry-run passes every check for a free slug and writes nothing', async () => {
    const { status, body } = await api<{ status: string; ready_for_onboarding: boolean; validation_summary: { total_checks: number; failed: number }; validation_results: { check_name: string; status: string }[] }>(
      'POST', '/api/v1/organizations/dryrun', root, onboardBody('rupee_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCESS', ready_for_onboarding: true, validation_summary: { failed: 0 } });
    expect(body.validation_results.map((c) => c.check_name)).toEqual(expect.arrayContaining(['org_slug_format', 'org_slug_available', 'admin_email', 'subscription_plan', 'currency_supported', 'timezone_supported', 'warehouse_reachable', 'central_tables_present']));
    expect(await rowsOf(deps, 'org_profiles', 'rupee_co')).toHaveLength(0);
  });

  it('dry-run reports each bad value as a failed check, not a 422', async () => {
    const { status, body } = await api<{ ready_for_onboarding: boolean; validation_results: { check_name: string; status: string }[] }>(
      'POST', '/api/v1/organizations/dryrun', root, { org_slug: 'Bad-Slug', company_name: 'X', admin_email: 'nope', subscription_plan: 'GOLD', default_currency: 'XYZ', default_timezone: 'Mars/Base' });
    expect(status).toBe(200);
    expect(body.ready_for_onboarding).toBe(false);
    const failed = body.validation_results.filter((c) => c.status === 'FAILED').map((c) => c.check_name);
    expect(failed).toEqual(expect.arrayContaining(['org_slug_format', 'company_name', 'admin_email', 'subscription_plan', 'currency_supported', 'timezone_supported']));
  });

  it('onboards with INR and Asia/Kolkata: country IN, symbol ₹, 2 decimals, key shown once', async () => {
    const { status, body } = await api<Record<string, unknown> & { api_key: string; subscription: Record<string, unknown>; tables_created: string[] }>(
      'POST', '/api/v1/organizations/onboard', root, onboardBody('rupee_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }));
    expect(status).toBe(200);
    expect(body).toMatchObject({ org_slug: 'rupee_co', default_currency: 'INR', default_country: 'IN', default_timezone: 'Asia/Kolkata', currency_symbol: '₹', currency_decimals: 2, dataset_id: 'rupee_co_prod', org_status: 'ACTIVE' });
    expect(body.subscription).toMatchObject({ plan_name: 'PROFESSIONAL', daily_limit: 25, monthly_limit: 750 });
    expect(body.tables_created).toHaveLength(6);
    expect(body.api_key).toMatch(/^sk_rupee_co_[A-Za-z0-9_-]{32}$/);
    key = body.api_key;
    const stored = JSON.stringify(await rowsOf(deps, 'org_api_keys', 'rupee_co'));
    expect(stored).not.toContain(key);
  });

  it('gives KWD 3 decimals and JPY 0', async () => {
    const kwd = await api<{ currency_decimals: number; default_country: string }>('POST', '/api/v1/organizations/onboard', root, onboardBody('dinar_co', { default_currency: 'KWD' }));
    expect(kwd.body).toMatchObject({ currency_decimals: 3, default_country: 'KW' });
    const jpy = await api<{ currency_decimals: number; currency_symbol: string }>('POST', '/api/v1/organizations/onboard', root, onboardBody('yen_co', { default_currency: 'JPY' }));
    expect(jpy.body).toMatchObject({ currency_decimals: 0, currency_symbol: '¥' });
  });

  it('refuses a taken slug (409), a bad slug, an unknown plan and unknown fields (422)', async () => {
    expect((await api('POST', '/api/v1/organizations/onboard', root, onboardBody('rupee_co'))).status).toBe(409);
    const bad = await api<{ details: { fields: Record<string, string[]> } }>('POST', '/api/v1/organizations/onboard', root, { ...onboardBody('bad_slug'), org_slug: 'Bad Slug!', subscription_plan: 'GOLD', extra: 1 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['body.extra', 'body.org_slug', 'body.subscription_plan']);
    expect(bad.body.details.fields['body.subscription_plan']![0]).toMatch(/FREE, STARTER, PROFESSIONAL, SCALE, ENTERPRISE/);
  });

  it('reads and updates the locale; the country follows the currency', async () => {
    const get = await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key });
    expect(get.body).toEqual({ org_slug: 'rupee_co', default_currency: 'INR', default_country: 'IN', default_language: 'en', default_timezone: 'Asia/Kolkata', currency_symbol: '₹', currency_name: 'Indian Rupee', currency_decimals: 2 });
    const put = await api('PUT', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key }, { default_currency: 'AED' });
    expect(put.body).toMatchObject({ default_currency: 'AED', default_country: 'AE', currency_decimals: 2, default_timezone: 'Asia/Kolkata' });
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).body).toMatchObject({ default_currency: 'AED', default_country: 'AE' });
  });

  it('answers bad locale input with 422 naming the supported values', async () => {
    const cur = await api<{ details: { fields: Record<string, string[]> } }>('PUT', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key }, { default_currency: 'XYZ' });
    expect(cur.status).toBe(422);
    expect(cur.body.details.fields['body.default_currency']![0]).toMatch(/USD, EUR, GBP.*OMR/);
    const tz = await api<{ details: { fields: Record<string, string[]> } }>('PUT', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key }, { default_timezone: 'Asia/Calcutta' });
    expect(tz.body.details.fields['body.default_timezone']![0]).toMatch(/Asia\/Kolkata/);
    expect((await api('PUT', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key }, {})).status).toBe(422);
    expect((await api('PUT', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key }, { default_language: 'fr' })).status).toBe(422);
  });

  it('serves the i18n pickers publicly', async () => {
    const cur = await api<{ currencies: { code: string; decimals: number }[] }>('GET', '/api/v1/i18n/currencies', {});
    expect(cur.body.currencies).toHaveLength(16);
    expect(cur.body.currencies.find((c) => c.code === 'OMR')?.decimals).toBe(3);
    const tz = await api<{ timezones: { id: string }[] }>('GET', '/api/v1/i18n/timezones', {});
    expect(tz.body.timezones).toHaveLength(15);
  });

  it('shows key metadata, never the key or its hash', async () => {
    const { body } = await api<{ current_key: Record<string, unknown>; keys: Record<string, unknown>[] }>('GET', '/api/v1/organizations/rupee_co/api-key', { 'x-api-key': key });
    expect(body.current_key).toMatchObject({ is_active: true, scopes: ['read', 'write', 'admin'] });
    expect(body.current_key.fingerprint).toBe(`sk_rupee_co_...${key.slice(-4)}`);
    expect(Object.keys(body.current_key).sort()).toEqual(['created_at', 'description', 'expires_at', 'fingerprint', 'is_active', 'last_used_at', 'org_api_key_id', 'revoked_at', 'rotated_to', 'scopes']);
    expect(JSON.stringify(body)).not.toContain(key.slice(-32));
  });

  it('rotates the key: the new one works, the old one stops at once', async () => {
    const { status, body } = await api<{ api_key: string }>('POST', '/api/v1/organizations/rupee_co/api-key/rotate', { 'x-api-key': key }, {});
    expect(status).toBe(200);
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).status).toBe(401);
    key = body.api_key;
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).status).toBe(200);
  });

  it('updates the subscription (root) and audits before and after', async () => {
    time.advance(1000);
    const { body } = await api<{ subscription: Record<string, unknown> }>('PUT', '/api/v1/organizations/rupee_co/subscription', root, { plan_name: 'SCALE' });
    expect(body.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 100, monthly_limit: 3000 });
    const mine = await api<{ subscription: Record<string, unknown> }>('GET', '/api/v1/organizations/rupee_co/subscription', { 'x-api-key': key });
    expect(mine.body.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 100 });
    time.advance(1000);
    const custom = await api<{ subscription: Record<string, unknown> }>('PUT', '/api/v1/organizations/rupee_co/subscription', root, { daily_limit: 7 });
    expect(custom.body.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 7, monthly_limit: 3000 });
    const logs = await api<{ logs: { action: string; details: { before: Record<string, unknown>; after: Record<string, unknown> } }[] }>('GET', '/api/v1/admin/audit-logs/rupee_co?action=SUBSCRIPTION_UPDATE', root);
    expect(logs.body.logs.map((l) => [l.details.before.daily_limit, l.details.after.daily_limit])).toEqual([[100, 7], [25, 100]]);
    expect((await api('PUT', '/api/v1/organizations/rupee_co/subscription', root, {})).status).toBe(422);
  });

  it('reports quota usage and resets in the org timezone', async () => {
    const { status, body } = await api<{ timezone: string; date: string; daily: Record<string, unknown>; monthly: Record<string, unknown> }>('GET', '/api/v1/organizations/rupee_co/quota', { 'x-api-key': key });
    expect(status).toBe(200);
    // 2026-03-10T20:00Z is 01:30 on the 11th in Kolkata (UTC+5:30).
    expect(body).toMatchObject({ timezone: 'Asia/Kolkata', date: '2026-03-11', daily: { used: 0, limit: 7, remaining: 7, reset_at: '2026-03-11T18:30:00.000Z' }, monthly: { used: 0, limit: 3000, reset_at: '2026-03-31T18:30:00.000Z' } });
  });

  it('suspending the org shuts its key out with 403, reactivating lets it back', async () => {
    await api('PUT', '/api/v1/organizations/rupee_co/subscription', root, { status: 'SUSPENDED' });
    const res = await api<{ message: string }>('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key });
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/SUSPENDED/);
    await api('PUT', '/api/v1/organizations/rupee_co/subscription', root, { status: 'ACTIVE' });
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).status).toBe(200);
  });

  it('soft-deletes (confirmation must match), then re-onboards with a new key while old keys stay dead', async () => {
    const mismatch = await api('DELETE', '/api/v1/organizations/rupee_co', root, { confirm_org_slug: 'rupee' });
    expect(mismatch.status).toBe(400);
    const del = await api<{ org_status: string; keys_revoked: number }>('DELETE', '/api/v1/organizations/rupee_co', root, { confirm_org_slug: 'rupee_co', delete_dataset: true });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ org_status: 'DELETED' });
    expect(del.body.keys_revoked).toBeGreaterThanOrEqual(1);
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).status).toBe(401);
    expect((await deps.warehouse.describeDataset('rupee_co_prod')).size).toBe(0);
    expect((await api('DELETE', '/api/v1/organizations/rupee_co', root, { confirm_org_slug: 'rupee_co' })).status).toBe(404);

    const again = await api<{ api_key: string; dataset_created: boolean }>('POST', '/api/v1/organizations/onboard', root, onboardBody('rupee_co'));
    expect(again.status).toBe(200);
    expect(again.body.api_key).not.toBe(key);
    expect(again.body.dataset_created).toBe(true);
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': key })).status).toBe(401);
    expect((await api('GET', '/api/v1/organizations/rupee_co/locale', { 'x-api-key': again.body.api_key })).body).toMatchObject({ default_currency: 'USD', default_country: 'US' });
    expect(await rowsOf(deps, 'org_profiles', 'rupee_co')).toHaveLength(1);
    expect(await rowsOf(deps, 'org_api_keys', 'rupee_co', 'is_active')).toHaveLength(1);
  });
});

describe('admin key management', () => {
  let orgKey = '';
  beforeAll(async () => {
    orgKey = (await api<{ api_key: string }>('POST', '/api/v1/organizations/onboard', root, onboardBody('keys_co'))).body.api_key;
  });

  it('creates a read-only key that can read but not write', async () => {
    const { status, body } = await api<{ api_key: string; scopes: string[] }>('POST', '/api/v1/admin/api-keys', root, { org_slug: 'keys_co', scopes: ['read'], description: 'dashboard' });
    expect(status).toBe(201);
    expect(body.scopes).toEqual(['read']);
    expect((await api('GET', '/api/v1/organizations/keys_co/locale', { 'x-api-key': body.api_key })).status).toBe(200);
    const write = await api<{ message: string }>('PUT', '/api/v1/organizations/keys_co/locale', { 'x-api-key': body.api_key }, { default_currency: 'EUR' });
    expect(write.status).toBe(403);
    expect(write.body.message).toMatch(/read-only/);
  });

  it('refuses keys for unknown orgs and past expiry dates', async () => {
    expect((await api('POST', '/api/v1/admin/api-keys', root, { org_slug: 'nobody_here' })).status).toBe(404);
    expect((await api('POST', '/api/v1/admin/api-keys', root, { org_slug: 'keys_co', expires_at: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await api('POST', '/api/v1/admin/api-keys', root, { org_slug: 'keys_co', scopes: ['root'] })).status).toBe(422);
  });

  it('revokes by hash, effective at once', async () => {
    const { body } = await api<{ api_key: string }>('POST', '/api/v1/admin/api-keys', root, { org_slug: 'keys_co' });
    expect((await api('GET', '/api/v1/organizations/keys_co/locale', { 'x-api-key': body.api_key })).status).toBe(200);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(body.api_key).digest('hex');
    expect((await api('DELETE', `/api/v1/admin/api-keys/${hash}`, root)).status).toBe(200);
    expect((await api('GET', '/api/v1/organizations/keys_co/locale', { 'x-api-key': body.api_key })).status).toBe(401);
    expect((await api('DELETE', `/api/v1/admin/api-keys/${'f'.repeat(64)}`, root)).status).toBe(404);
    expect((await api('DELETE', '/api/v1/admin/api-keys/not-a-hash', root)).status).toBe(422);
  });

  it('shows an org to the admin, reveals the key in development, regenerates', async () => {
    const overview = await api<{ profile: { org_slug: string }; subscription: { plan_name: string }; api_keys: unknown[] }>('GET', '/api/v1/admin/organizations/keys_co', root);
    expect(overview.body.profile.org_slug).toBe('keys_co');
    expect(overview.body.subscription.plan_name).toBe('PROFESSIONAL');
    expect(JSON.stringify(overview.body)).not.toContain(orgKey);
    expect((await api('GET', '/api/v1/admin/organizations/nobody_here', root)).status).toBe(404);

    const dev = await api<{ api_key: string }>('GET', '/api/v1/admin/dev/api-key/keys_co', root);
    expect(dev.status).toBe(200);
    expect(dev.body.api_key).toMatch(/^sk_keys_co_/);

    const regen = await api<{ api_key: string }>('POST', '/api/v1/admin/organizations/keys_co/regenerate-api-key', root);
    expect((await api('GET', '/api/v1/organizations/keys_co/locale', { 'x-api-key': orgKey })).status).toBe(401);
    expect((await api('GET', '/api/v1/organizations/keys_co/locale', { 'x-api-key': regen.body.api_key })).status).toBe(200);
  });

  it('pages through the audit log with filters, bounded in time and size', async () => {
    const all = await api<{ total: number; logs: { action: string }[] }>('GET', '/api/v1/admin/audit-logs/keys_co?limit=2', root);
    expect(all.body.total).toBeGreaterThanOrEqual(5);
    expect(all.body.logs).toHaveLength(2);
    const next = await api<{ logs: { action: string }[] }>('GET', '/api/v1/admin/audit-logs/keys_co?limit=2&offset=2', root);
    expect(next.body.logs).toHaveLength(2);
    const created = await api<{ logs: { action: string }[] }>('GET', '/api/v1/admin/audit-logs/keys_co?action=API_KEY_CREATE', root);
    expect(created.body.logs.every((l) => l.action === 'API_KEY_CREATE')).toBe(true);
    const future = await api<{ total: number }>('GET', '/api/v1/admin/audit-logs/keys_co?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z', root);
    expect(future.body.total).toBe(0);
    expect((await api('GET', '/api/v1/admin/audit-logs/keys_co?limit=101', root)).status).toBe(422);
    expect((await api('GET', '/api/v1/admin/audit-logs/keys_co?from=yesterday', root)).status).toBe(422);
  });
});
