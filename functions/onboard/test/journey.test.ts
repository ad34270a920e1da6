import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { createCloudActClient, type CloudActClient, type paths } from '../../../clients/typescript/src/index.js';
import { functionTables } from '../../../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * The README's onboarding journey, over HTTP on the local gateway (embedded DuckDB), through the
 * typed client the web app uses: a route whose documented shape drifts from what it returns
 * fails to type-check here, or fails the gateway's response check (a 500) at run time. Requests
 * the client's types refuse (unknown fields, values outside an enum) go through `api` instead.
 */
let base: string;
let close: () => void;
let deps: Awaited<ReturnType<typeof testDeps>>;
let rootApi: CloudActClient;
const time = settableClock();
const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };
const orgApi = (key: string) => createCloudActClient({ baseUrl: base, apiKey: key });
const publicApi = () => createCloudActClient({ baseUrl: base });
const org = (org_slug: string) => ({ params: { path: { org_slug } } });

beforeAll(async () => {
  deps = await testDeps({}, { clock: time.clock });
  const gw = createLocalGateway(functionTables, deps);
  const { server, url } = await gw.listen(0);
  base = url;
  close = () => server.close();
  rootApi = createCloudActClient({ baseUrl: base, rootKey: TEST_ROOT_KEY });
  const boot = await rootApi.POST('/api/v1/admin/bootstrap', {});
  expect(boot.response.status).toBe(200);
});
afterAll(() => close?.());

/** Raw HTTP, for requests the typed client will not build. */
async function api<T = Record<string, unknown>>(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

type OnboardBody = NonNullable<paths['/api/v1/organizations/onboard']['post']['requestBody']>['content']['application/json'];
const onboardBody = (slug: string, extra: Partial<OnboardBody> = {}): OnboardBody => ({ org_slug: slug, company_name: `${slug} Ltd`, admin_email: `ops@${slug.replace(/_/g, '-')}.test`, subscription_plan: 'PROFESSIONAL', ...extra });

describe('onboarding journey', () => {
  let key = '';

  it('dry-run passes every check for a free slug and writes nothing', async () => {
    const { response, data: body } = await rootApi.POST('/api/v1/organizations/dryrun', { body: onboardBody('rupee_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }) });
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCESS', ready_for_onboarding: true, validation_summary: { failed: 0 } });
    expect(body!.validation_results.map((c) => c.check_name)).toEqual(expect.arrayContaining(['org_slug_format', 'org_slug_available', 'admin_email', 'subscription_plan', 'currency_supported', 'timezone_supported', 'warehouse_reachable', 'central_tables_present']));
    expect(await rowsOf(deps, 'org_profiles', 'rupee_co')).toHaveLength(0);
  });

  it('dry-run reports each bad value as a failed check, not a 422', async () => {
    const { response, data: body } = await rootApi.POST('/api/v1/organizations/dryrun', {
      body: { org_slug: 'Bad-Slug', company_name: 'X', admin_email: 'nope', subscription_plan: 'GOLD', default_currency: 'XYZ', default_timezone: 'Mars/Base' },
    });
    expect(response.status).toBe(200);
    expect(body!.ready_for_onboarding).toBe(false);
    const failed = body!.validation_results.filter((c) => c.status === 'FAILED').map((c) => c.check_name);
    expect(failed).toEqual(expect.arrayContaining(['org_slug_format', 'company_name', 'admin_email', 'subscription_plan', 'currency_supported', 'timezone_supported']));
  });

  it('onboards with INR and Asia/Kolkata: country IN, symbol ₹, 2 decimals, key shown once', async () => {
    const { response, data: body } = await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('rupee_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata' }) });
    expect(response.status).toBe(200);
    if (!body) throw new Error('no body');
    expect(body).toMatchObject({ org_slug: 'rupee_co', default_currency: 'INR', default_country: 'IN', default_timezone: 'Asia/Kolkata', currency_symbol: '₹', currency_decimals: 2, dataset_id: 'rupee_co_prod', org_status: 'ACTIVE' });
    expect(body.subscription).toMatchObject({ plan_name: 'PROFESSIONAL', daily_limit: 25, monthly_limit: 750 });
    expect(body.tables_created).toHaveLength(9);
    expect(body.api_key).toMatch(/^sk_rupee_co_[A-Za-z0-9_-]{32}$/);
    key = body.api_key;
    const stored = JSON.stringify(await rowsOf(deps, 'org_api_keys', 'rupee_co'));
    expect(stored).not.toContain(key);
  });

  it('gives KWD 3 decimals and JPY 0', async () => {
    const kwd = await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('dinar_co', { default_currency: 'KWD' }) });
    expect(kwd.data).toMatchObject({ currency_decimals: 3, default_country: 'KW' });
    const jpy = await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('yen_co', { default_currency: 'JPY' }) });
    expect(jpy.data).toMatchObject({ currency_decimals: 0, currency_symbol: '¥' });
  });

  it('refuses a taken slug (409), a bad slug, an unknown plan and unknown fields (422)', async () => {
    const taken = await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('rupee_co') });
    expect(taken.response.status).toBe(409);
    expect(taken.error?.error).toBe('CONFLICT');
    const bad = await api<{ details: { fields: Record<string, string[]> } }>('POST', '/api/v1/organizations/onboard', root, { ...onboardBody('bad_slug'), org_slug: 'Bad Slug!', subscription_plan: 'GOLD', extra: 1 });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.body.details.fields).sort()).toEqual(['body.extra', 'body.org_slug', 'body.subscription_plan']);
    expect(bad.body.details.fields['body.subscription_plan']![0]).toMatch(/FREE, STARTER, PROFESSIONAL, SCALE, ENTERPRISE/);
  });

  it('reads and updates the locale; the country follows the currency', async () => {
    const get = await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'));
    expect(get.data).toEqual({ org_slug: 'rupee_co', default_currency: 'INR', default_country: 'IN', default_language: 'en', default_timezone: 'Asia/Kolkata', currency_symbol: '₹', currency_name: 'Indian Rupee', currency_decimals: 2 });
    const put = await orgApi(key).PUT('/api/v1/organizations/{org_slug}/locale', { ...org('rupee_co'), body: { default_currency: 'AED' } });
    expect(put.data).toMatchObject({ default_currency: 'AED', default_country: 'AE', currency_decimals: 2, default_timezone: 'Asia/Kolkata' });
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).data).toMatchObject({ default_currency: 'AED', default_country: 'AE' });
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
    const cur = await publicApi().GET('/api/v1/i18n/currencies');
    expect(cur.data!.currencies).toHaveLength(16);
    expect(cur.data!.currencies.find((c) => c.code === 'OMR')?.decimals).toBe(3);
    const tz = await publicApi().GET('/api/v1/i18n/timezones');
    expect(tz.data!.timezones).toHaveLength(15);
  });

  it('shows key metadata, never the key or its hash', async () => {
    const { data: body } = await orgApi(key).GET('/api/v1/organizations/{org_slug}/api-key', org('rupee_co'));
    expect(body!.current_key).toMatchObject({ is_active: true, scopes: ['read', 'write', 'admin'] });
    expect(body!.current_key!.fingerprint).toBe(`sk_rupee_co_...${key.slice(-4)}`);
    expect(Object.keys(body!.current_key!).sort()).toEqual(['created_at', 'description', 'expires_at', 'fingerprint', 'is_active', 'last_used_at', 'org_api_key_id', 'revoked_at', 'rotated_to', 'scopes']);
    expect(JSON.stringify(body)).not.toContain(key.slice(-32));
  });

  it('rotates the key: the new one works, the old one stops at once', async () => {
    const { response, data: body } = await orgApi(key).POST('/api/v1/organizations/{org_slug}/api-key/rotate', { ...org('rupee_co'), body: {} });
    expect(response.status).toBe(200);
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).response.status).toBe(401);
    key = body!.api_key;
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).response.status).toBe(200);
  });

  it('updates the subscription (root) and audits before and after', async () => {
    time.advance(1000);
    const { data: body } = await rootApi.PUT('/api/v1/organizations/{org_slug}/subscription', { ...org('rupee_co'), body: { plan_name: 'SCALE' } });
    expect(body!.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 100, monthly_limit: 3000 });
    const mine = await orgApi(key).GET('/api/v1/organizations/{org_slug}/subscription', org('rupee_co'));
    expect(mine.data!.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 100 });
    time.advance(1000);
    const custom = await rootApi.PUT('/api/v1/organizations/{org_slug}/subscription', { ...org('rupee_co'), body: { daily_limit: 7 } });
    expect(custom.data!.subscription).toMatchObject({ plan_name: 'SCALE', daily_limit: 7, monthly_limit: 3000 });
    const logs = await rootApi.GET('/api/v1/admin/audit-logs/{org_slug}', { params: { path: { org_slug: 'rupee_co' }, query: { action: 'SUBSCRIPTION_UPDATE' } } });
    const change = (l: { details: Record<string, unknown> | null }) => l.details as { before: Record<string, unknown>; after: Record<string, unknown> };
    expect(logs.data!.logs.map((l) => [change(l).before.daily_limit, change(l).after.daily_limit])).toEqual([[100, 7], [25, 100]]);
    expect((await rootApi.PUT('/api/v1/organizations/{org_slug}/subscription', { ...org('rupee_co'), body: {} })).response.status).toBe(422);
  });

  it('reports quota usage and resets in the org timezone', async () => {
    const { response, data: body } = await orgApi(key).GET('/api/v1/organizations/{org_slug}/quota', org('rupee_co'));
    expect(response.status).toBe(200);
    // 2026-03-10T20:00Z is 01:30 on the 11th in Kolkata (UTC+5:30).
    expect(body).toMatchObject({ timezone: 'Asia/Kolkata', date: '2026-03-11', daily: { used: 0, limit: 7, remaining: 7, reset_at: '2026-03-11T18:30:00.000Z' }, monthly: { used: 0, limit: 3000, reset_at: '2026-03-31T18:30:00.000Z' } });
  });

  it('suspending the org shuts its key out with 403, reactivating lets it back', async () => {
    await rootApi.PUT('/api/v1/organizations/{org_slug}/subscription', { ...org('rupee_co'), body: { status: 'SUSPENDED' } });
    const res = await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'));
    expect(res.response.status).toBe(403);
    expect(res.error!.message).toMatch(/SUSPENDED/);
    await rootApi.PUT('/api/v1/organizations/{org_slug}/subscription', { ...org('rupee_co'), body: { status: 'ACTIVE' } });
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).response.status).toBe(200);
  });

  it('soft-deletes (confirmation must match), then re-onboards with a new key while old keys stay dead', async () => {
    const mismatch = await rootApi.DELETE('/api/v1/organizations/{org_slug}', { ...org('rupee_co'), body: { confirm_org_slug: 'rupee' } });
    expect(mismatch.response.status).toBe(400);
    const del = await rootApi.DELETE('/api/v1/organizations/{org_slug}', { ...org('rupee_co'), body: { confirm_org_slug: 'rupee_co', delete_dataset: true } });
    expect(del.response.status).toBe(200);
    expect(del.data).toMatchObject({ org_status: 'DELETED' });
    expect(del.data!.keys_revoked).toBeGreaterThanOrEqual(1);
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).response.status).toBe(401);
    expect((await deps.warehouse.describeDataset('rupee_co_prod')).size).toBe(0);
    expect((await rootApi.DELETE('/api/v1/organizations/{org_slug}', { ...org('rupee_co'), body: { confirm_org_slug: 'rupee_co' } })).response.status).toBe(404);

    const again = await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('rupee_co') });
    expect(again.response.status).toBe(200);
    expect(again.data!.api_key).not.toBe(key);
    expect(again.data!.dataset_created).toBe(true);
    expect((await orgApi(key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).response.status).toBe(401);
    expect((await orgApi(again.data!.api_key).GET('/api/v1/organizations/{org_slug}/locale', org('rupee_co'))).data).toMatchObject({ default_currency: 'USD', default_country: 'US' });
    expect(await rowsOf(deps, 'org_profiles', 'rupee_co')).toHaveLength(1);
    expect(await rowsOf(deps, 'org_api_keys', 'rupee_co', 'is_active')).toHaveLength(1);
  });
});

describe('admin key management', () => {
  let orgKey = '';
  beforeAll(async () => {
    orgKey = (await rootApi.POST('/api/v1/organizations/onboard', { body: onboardBody('keys_co') })).data!.api_key;
  });

  it('creates a read-only key that can read but not write', async () => {
    const { response, data: body } = await rootApi.POST('/api/v1/admin/api-keys', { body: { org_slug: 'keys_co', scopes: ['read'], description: 'dashboard' } });
    expect(response.status).toBe(201);
    expect(body!.scopes).toEqual(['read']);
    expect((await orgApi(body!.api_key).GET('/api/v1/organizations/{org_slug}/locale', org('keys_co'))).response.status).toBe(200);
    const write = await orgApi(body!.api_key).PUT('/api/v1/organizations/{org_slug}/locale', { ...org('keys_co'), body: { default_currency: 'EUR' } });
    expect(write.response.status).toBe(403);
    expect(write.error!.message).toMatch(/read-only/);
  });

  it('refuses keys for unknown orgs and past expiry dates', async () => {
    expect((await rootApi.POST('/api/v1/admin/api-keys', { body: { org_slug: 'nobody_here' } })).response.status).toBe(404);
    expect((await rootApi.POST('/api/v1/admin/api-keys', { body: { org_slug: 'keys_co', expires_at: '2020-01-01T00:00:00Z' } })).response.status).toBe(400);
    expect((await api('POST', '/api/v1/admin/api-keys', root, { org_slug: 'keys_co', scopes: ['root'] })).status).toBe(422);
  });

  it('revokes by hash, effective at once', async () => {
    const { data: body } = await rootApi.POST('/api/v1/admin/api-keys', { body: { org_slug: 'keys_co' } });
    expect((await orgApi(body!.api_key).GET('/api/v1/organizations/{org_slug}/locale', org('keys_co'))).response.status).toBe(200);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(body!.api_key).digest('hex');
    const revoke = (key_hash: string) => rootApi.DELETE('/api/v1/admin/api-keys/{key_hash}', { params: { path: { key_hash } } });
    expect((await revoke(hash)).response.status).toBe(200);
    expect((await orgApi(body!.api_key).GET('/api/v1/organizations/{org_slug}/locale', org('keys_co'))).response.status).toBe(401);
    expect((await revoke('f'.repeat(64))).response.status).toBe(404);
    expect((await revoke('not-a-hash')).response.status).toBe(422);
  });

  it('shows an org to the admin, reveals the key in development, regenerates', async () => {
    const overview = await rootApi.GET('/api/v1/admin/organizations/{org_slug}', org('keys_co'));
    expect(overview.data!.profile.org_slug).toBe('keys_co');
    expect(overview.data!.subscription!.plan_name).toBe('PROFESSIONAL');
    expect(JSON.stringify(overview.data)).not.toContain(orgKey);
    expect((await rootApi.GET('/api/v1/admin/organizations/{org_slug}', org('nobody_here'))).response.status).toBe(404);

    const dev = await rootApi.GET('/api/v1/admin/dev/api-key/{org_slug}', org('keys_co'));
    expect(dev.response.status).toBe(200);
    expect(dev.data!.api_key).toMatch(/^sk_keys_co_/);

    const regen = await rootApi.POST('/api/v1/admin/organizations/{org_slug}/regenerate-api-key', org('keys_co'));
    expect((await orgApi(orgKey).GET('/api/v1/organizations/{org_slug}/locale', org('keys_co'))).response.status).toBe(401);
    expect((await orgApi(regen.data!.api_key).GET('/api/v1/organizations/{org_slug}/locale', org('keys_co'))).response.status).toBe(200);
  });

  it('pages through the audit log with filters, bounded in time and size', async () => {
    type AuditQuery = NonNullable<paths['/api/v1/admin/audit-logs/{org_slug}']['get']['parameters']['query']>;
    const audit = (query: AuditQuery) => rootApi.GET('/api/v1/admin/audit-logs/{org_slug}', { params: { path: { org_slug: 'keys_co' }, query } });
    const all = await audit({ limit: 2 });
    expect(all.data!.total).toBeGreaterThanOrEqual(5);
    expect(all.data!.logs).toHaveLength(2);
    const next = await audit({ limit: 2, offset: 2 });
    expect(next.data!.logs).toHaveLength(2);
    const created = await audit({ action: 'API_KEY_CREATE' });
    expect(created.data!.logs.every((l) => l.action === 'API_KEY_CREATE')).toBe(true);
    const future = await audit({ from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' });
    expect(future.data!.total).toBe(0);
    expect((await audit({ limit: 101 })).response.status).toBe(422);
    expect((await audit({ from: 'yesterday' })).response.status).toBe(422);
  });
});
