import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { hashOrgApiKey } from '@cloudact/shared/orgs/keys/format';
import { functionTables } from '../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';

/**
 * The CloudAct web app's onboarding calls (lib/api/backend.ts and its server actions), played as
 * it sends them: the same paths and query strings, the same headers (Content-Type: application/json
 * even on a POST without a body), the same bodies, over HTTP through the local gateway. Each field
 * the web app reads is checked with the JavaScript type it expects, for both ages of the web app
 * where they differ (the FastAPI-era flat and snake_case names, and the later camelCase quota).
 */
let base: string;
let close: () => void;

beforeAll(async () => {
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' });
  const { server, url } = await createLocalGateway(functionTables, deps).listen(0);
  base = url;
  close = () => server.close();
});
afterAll(() => close?.());

/** The web app's getHeaders(): JSON content type and a request id always; root key or org key. */
const headers = (auth: { root?: true; key?: string }) => ({
  'Content-Type': 'application/json',
  'X-Request-ID': `req_${Date.now().toString(36)}_webapp`,
  ...(auth.root ? { 'X-CA-Root-Key': TEST_ROOT_KEY } : {}),
  ...(auth.key ? { 'X-API-Key': auth.key } : {}),
});

type Json = Record<string, any>;
async function call(method: string, path: string, auth: { root?: true; key?: string }, body?: unknown): Promise<{ status: number; ok: boolean; body: Json }> {
  const res = await fetch(base + path, { method, headers: headers(auth), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, ok: res.ok, body: (await res.json().catch(() => ({}))) as Json };
}

/** The web app's handleResponse: on an error it reads `detail` as a string. */
function detailOf(body: Json): string {
  return typeof body.detail === 'string' ? body.detail : '';
}

const SLUG = 'webapp_co';
/** onboardToBackend's request (both ages): STARTER, USD and UTC unless the signup form said otherwise. */
const request = {
  org_slug: SLUG,
  company_name: 'Webapp Co',
  admin_email: 'owner@webapp-co.test',
  subscription_plan: 'STARTER',
  default_currency: 'USD',
  default_timezone: 'UTC',
};

function expectTypes(body: Json, types: Record<string, 'string' | 'number' | 'boolean' | 'array' | 'object'>) {
  const got = Object.fromEntries(Object.keys(types).map((k) => [k, Array.isArray(body[k]) ? 'array' : body[k] === null ? 'null' : typeof body[k]]));
  expect(got).toEqual(types);
}

describe('the web app onboarding an org', () => {
  let firstKey = '';
  let key = '';

  it('before bootstrap: GET /admin/bootstrap/status?force_refresh=false answers 200 NOT_BOOTSTRAPPED (the web app reads status)', async () => {
    const res = await call('GET', '/api/v1/admin/bootstrap/status?force_refresh=false', { root: true });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('NOT_BOOTSTRAPPED');
    expect(res.body.dataset_exists).toBe(false);
    expect(res.body.tables_missing.length).toBe(res.body.tables_expected);
  });

  it('after bootstrap the status is SYNCED at once (bootstrap forgets the cached answer), with and without the query string', async () => {
    expect((await call('POST', '/api/v1/admin/bootstrap', { root: true }, {})).status).toBe(200);
    for (const path of ['/api/v1/admin/bootstrap/status?force_refresh=false', '/api/v1/admin/bootstrap/status']) {
      const res = await call('GET', path, { root: true });
      expect(res.ok, path).toBe(true);
      expectTypes(res.body, {
        status: 'string', dataset_exists: 'boolean', tables_expected: 'number', tables_existing: 'array',
        tables_missing: 'array', tables_extra: 'array', schema_diffs: 'object', message: 'string',
      });
      expect(res.body).toMatchObject({ status: 'SYNCED', dataset_exists: true, tables_missing: [], tables_extra: [], schema_diffs: {} });
      expect(res.body.tables_existing).toHaveLength(res.body.tables_expected);
    }
  });

  it('the dry run takes the same request, regenerate_api_key_if_exists included (ignored there)', async () => {
    const res = await call('POST', '/api/v1/organizations/dryrun', { root: true }, { ...request, regenerate_api_key_if_exists: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.ready_for_onboarding).toBe(true);
  });

  it('onboards: the answer carries what OnboardOrgResponse declares', async () => {
    const res = await call('POST', '/api/v1/organizations/onboard', { root: true }, request);
    expect(res.status).toBe(200);
    expectTypes(res.body, {
      org_slug: 'string', api_key: 'string', subscription_plan: 'string', default_currency: 'string', default_country: 'string',
      default_language: 'string', default_timezone: 'string', dataset_created: 'boolean', tables_created: 'array', message: 'string',
    });
    expect(res.body.org_slug).toBe(SLUG);
    firstKey = res.body.api_key;
    // onboardToBackend keeps the last 4 characters as the fingerprint.
    expect(firstKey.slice(-4)).toHaveLength(4);
  });

  it('a second onboarding of the live slug is 409 whose detail says "already exists with status \'ACTIVE\'"', async () => {
    const res = await call('POST', '/api/v1/organizations/onboard', { root: true }, request);
    expect(res.status).toBe(409);
    expect(detailOf(res.body)).toContain("already exists with status 'ACTIVE'");
    expect(res.body.details).toMatchObject({ reason: 'slug_taken', org_status: 'ACTIVE' });
  });

  it('the retry with regenerate_api_key_if_exists answers 200 with a new key that works; the old key is dead', async () => {
    const res = await call('POST', '/api/v1/organizations/onboard', { root: true }, { ...request, regenerate_api_key_if_exists: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectTypes(res.body, { org_slug: 'string', api_key: 'string', subscription_plan: 'string', dataset_created: 'boolean', tables_created: 'array', message: 'string', org_api_key_hash: 'string' });
    expect(res.body).toMatchObject({ org_slug: SLUG, dataset_created: false, api_key_regenerated: true });
    key = res.body.api_key;
    expect(key).not.toBe(firstKey);
    expect(res.body.org_api_key_hash).toBe(hashOrgApiKey(key));
    expect((await call('GET', `/api/v1/organizations/${SLUG}/api-key`, { key })).status).toBe(200);
    expect((await call('GET', `/api/v1/organizations/${SLUG}/api-key`, { key: firstKey })).status).toBe(401);
  });

  it('GET /organizations/{org}/api-key: ApiKeyInfoResponse\'s flat fields beside current_key', async () => {
    key ||= firstKey; // (only if the retry above failed: these checks stand on their own)
    const res = await call('GET', `/api/v1/organizations/${SLUG}/api-key`, { key });
    expect(res.status).toBe(200);
    expectTypes(res.body, { org_slug: 'string', api_key_fingerprint: 'string', is_active: 'boolean', created_at: 'string', scopes: 'array' });
    expect(res.body.api_key_fingerprint).toBe(res.body.current_key.fingerprint);
    expect(res.body.is_active).toBe(true);
  });

  it('GET /organizations/{org}/quota: the FastAPI snake_case names and the later camelCase ones, beside ours', async () => {
    const res = await call('GET', `/api/v1/organizations/${SLUG}/quota`, { key });
    expect(res.status).toBe(200);
    expectTypes(res.body, {
      // the original FastAPI backend
      pipelines_run_today: 'number', daily_limit: 'number', pipelines_run_month: 'number', monthly_limit: 'number',
      concurrent_pipelines_running: 'number', concurrent_limit: 'number', usage_date: 'string',
      // the quota server action (getQuotaUsage)
      pipelinesRunToday: 'number', dailyLimit: 'number', pipelinesRunMonth: 'number', monthlyLimit: 'number', concurrentRunning: 'number', concurrentLimit: 'number',
    });
    expect(res.body).toMatchObject({ daily_limit: res.body.daily.limit, monthly_limit: res.body.monthly.limit, concurrent_limit: res.body.concurrent.limit, dailyLimit: res.body.daily.limit, usage_date: res.body.date });
  });

  it('POST /organizations/{org}/api-key/rotate without a body: RotateApiKeyResponse', async () => {
    const res = await call('POST', `/api/v1/organizations/${SLUG}/api-key/rotate`, { key });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectTypes(res.body, { org_slug: 'string', api_key: 'string', api_key_fingerprint: 'string', previous_key_revoked: 'boolean', message: 'string' });
    expect(res.body.previous_key_revoked).toBe(true);
    expect((await call('GET', `/api/v1/organizations/${SLUG}/api-key`, { key })).status).toBe(401);
    key = res.body.api_key;
  });

  it('POST /admin/organizations/{org}/regenerate-api-key without a body: RegenerateApiKeyResponse', async () => {
    const res = await call('POST', `/api/v1/admin/organizations/${SLUG}/regenerate-api-key`, { root: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectTypes(res.body, { api_key: 'string', org_api_key_hash: 'string', org_slug: 'string', created_at: 'string', description: 'string' });
    expect(res.body.org_api_key_hash).toBe(hashOrgApiKey(res.body.api_key));
    expect((await call('GET', `/api/v1/organizations/${SLUG}/api-key`, { key: res.body.api_key })).status).toBe(200);
  });
});
