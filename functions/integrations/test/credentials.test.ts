import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, rowsOf } from '../../../shared/test/support/orgs.js';
import { startProviderStandIns, type ProviderStandIns } from './support/providers.js';

/**
 * Provider credentials end to end through the integrations function, against local stand-ins of
 * the providers' APIs. Every response body and log line of this suite is kept and, at the end,
 * searched for the credentials used.
 */
let providers: ProviderStandIns;
let deps: Awaited<ReturnType<typeof testDeps>>;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;
let otherKey: string;
const seen: string[] = [];
const secrets: string[] = [];

const OPENAI = 'sk-proj-goodopenai0000000000001';
const ANTHROPIC = 'sk-ant-api03-goodanthropic000001';
const GEMINI = 'AIzaGoodGemini000000000000001';
const DEEPSEEK = 'sk-gooddeepseek00000000000001';

beforeAll(async () => {
  providers = await startProviderStandIns();
  for (const k of [OPENAI, ANTHROPIC, GEMINI, DEEPSEEK]) providers.accepted.add(k);
  // A test-only provider, defined in a registry file of the test's own: a config change only.
  const dir = mkdtempSync(join(tmpdir(), 'ca-providers-'));
  const registry = join(dir, 'providers.yml');
  writeFileSync(registry, `${(await import('node:fs')).readFileSync(join(import.meta.dirname, '../../../configs/system/providers.yml'), 'utf8')}
  - name: testllm
    canonical: TESTLLM
    display_name: Test LLM
    category: llm
    credential_type: API_KEY
    key_prefixes: [tk-]
    check:
      base_url: https://api.testllm.invalid/v9
      base_url_env: TESTLLM_API_BASE_URL
      path: /models
      auth: { header: Authorization, prefix: "Bearer " }
    timeout_ms: 500
    attempts: 2
`);
  deps = await testDeps({ ...providers.env(), TESTLLM_API_BASE_URL: `${providers.url}/openai/v1`, PROVIDERS_FILE: registry, AUTH_FAILURES_PER_MINUTE: '100000' });
  await bootstrap(deps);
  key = (await onboard(deps, 'int_co', { subscription_plan: 'SCALE' })).api_key;
  otherKey = (await onboard(deps, 'other_co')).api_key;
  const inner = buildFunctionApp('integrations', routes, deps);
  app = { ...inner, async fetch(req: Request) {
    const res = await inner.fetch(req);
    seen.push(await res.clone().text());
    return res;
  } };
});
afterAll(() => providers.close());

function call(method: string, path: string, body?: unknown, apiKey = key) {
  return app.fetch(new Request(`http://fn/api/v1/integrations/int_co${path}`, {
    method, headers: { 'x-api-key': apiKey, 'content-type': 'application/json', 'x-request-id': `t-${seen.length}` }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
}
const setup = (provider: string, credential: string, extra: Record<string, unknown> = {}) => {
  secrets.push(credential);
  return call('POST', `/${provider}/setup`, { credential, ...extra });
};
type Check = { success: boolean; provider: string; validation_status: string; validation_error: string | null; fingerprint: string | null; pricing_seeded: boolean; credential_id: string | null };

describe('setting up each provider with a good credential', () => {
  it.each([
    ['openai', OPENAI, 'OPENAI'],
    ['claude', ANTHROPIC, 'ANTHROPIC'],
    ['gemini', GEMINI, 'GEMINI'],
    ['deepseek', DEEPSEEK, 'DEEPSEEK'],
  ])('%s: checked with the provider, stored VALID, default pricing seeded once', async (path, credential, canonical) => {
    const res = await setup(path, credential, { credential_name: `${canonical} prod` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Check;
    expect(body).toMatchObject({ success: true, provider: canonical, validation_status: 'VALID', validation_error: null, pricing_seeded: true, fingerprint: `${credential.slice(0, 3)}...${credential.slice(-4)}` });
    const pricing = await deps.warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${deps.warehouse.table('int_co_prod', 'llm_model_pricing')} WHERE provider = @p`, params: { p: canonical } });
    expect(Number(pricing[0]!.n)).toBeGreaterThan(0);
    // A second setup of the same provider seeds nothing twice and retires the first credential.
    const again = (await (await setup(path, credential)).json()) as Check;
    expect(again.pricing_seeded).toBe(false);
    const rows = await rowsOf(deps, 'org_integration_credentials', 'int_co', `provider = '${canonical}'`);
    expect(rows.filter((r) => r.is_active)).toHaveLength(1);
    expect(rows.filter((r) => r.is_active)[0]!.credential_id).toBe(again.credential_id);
  });

  it('gcp: a service account is checked by a real JWT-bearer exchange and one BigQuery call; its own token_uri is never called', async () => {
    const sa = providers.serviceAccount({ tokenUri: `${providers.url}/attacker-chosen` });
    const res = await setup('gcp', sa.json);
    const body = (await res.json()) as Check;
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ success: true, provider: 'GCP_SA', validation_status: 'VALID', pricing_seeded: false });
    expect(providers.hits).toContain('POST /oauth2/token');
    expect(providers.hits).toContain('GET /bigquery/v2/projects/good-project/datasets');
    expect(providers.hits.some((h) => h.includes('attacker-chosen'))).toBe(false);
  });

  it('a provider defined only in a registry file (test config) works with no code', async () => {
    providers.accepted.add('tk-testllm-key-000001');
    const body = (await (await setup('testllm', 'tk-testllm-key-000001')).json()) as Check;
    expect(body).toMatchObject({ success: true, provider: 'TESTLLM', validation_status: 'VALID' });
  });
});

describe('bad, malformed and unreachable', () => {
  it('a key the provider refuses is stored INVALID with the reason, and the status says why', async () => {
    const res = await setup('deepseek', 'sk-revoked-deepseek-0000099');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: false, validation_status: 'INVALID', validation_error: 'Invalid API key' });
    const status = (await (await call('GET', '/deepseek')).json()) as { status: string; last_error: string };
    expect(status).toMatchObject({ status: 'INVALID', last_error: 'Invalid API key' });
  });

  it('403 means missing permissions; another 4xx carries the provider\'s message; a redirect is not followed', async () => {
    providers.restricted.add('sk-proj-restricted00000000001');
    expect(await (await setup('openai', 'sk-proj-restricted00000000001')).json()).toMatchObject({ validation_status: 'INVALID', validation_error: 'API key lacks required permissions' });
    expect(await (await setup('gemini', 'AIzaQuota000000000000')).json()).toMatchObject({ validation_status: 'INVALID', validation_error: expect.stringMatching(/Quota exceeded/) });
    expect(await (await setup('gemini', 'AIzaRedirectMe0000000')).json()).toMatchObject({ validation_status: 'INVALID', validation_error: expect.stringMatching(/redirect/) });
    // A provider that echoes the key in its message: the message is passed on without it.
    expect(await (await setup('openai', 'sk-proj-malformed000000000001')).json()).toMatchObject({ validation_status: 'INVALID', validation_error: expect.stringMatching(/^The key \[redacted\] is /) });
    // Leave good credentials in place for the later tests.
    await setup('openai', OPENAI);
    await setup('gemini', GEMINI);
  });

  it('a provider that is down: 502 PROVIDER_UNAVAILABLE after retries, nothing stored', async () => {
    const before = (await rowsOf(deps, 'org_integration_credentials', 'int_co')).length;
    providers.down = true;
    const hits = providers.hits.length;
    const res = await setup('anthropic', ANTHROPIC);
    providers.down = false;
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ error: 'PROVIDER_UNAVAILABLE', message: expect.stringMatching(/nothing was stored/) });
    expect(providers.hits.length - hits).toBe(3);
    expect((await rowsOf(deps, 'org_integration_credentials', 'int_co')).length).toBe(before);
  });

  it.each([
    ['openai', 'pk-not-an-openai-key-123', /starts with sk-/],
    ['openai', 'sk-has a space in it 1234', /no spaces/],
    ['gcp', 'not json at all, 1234567', /not valid JSON/],
    ['gcp', '["an", "array", "x"]', /JSON object/],
    ['gcp', JSON.stringify({ type: 'user', project_id: 'p' }), /"type" must be "service_account"/],
    ['gcp', JSON.stringify({ type: 'service_account' }), /project_id/],
    ['gcp', JSON.stringify({ type: 'service_account', project_id: 'p' }), /private_key/],
    ['gcp', JSON.stringify({ type: 'service_account', project_id: 'p', private_key: 'nope' }), /PEM private key/],
  ])('malformed %s credential → 422 naming the problem (%s)', async (provider, credential, message) => {
    const res = await setup(provider, credential);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_ERROR', message: expect.stringMatching(message) });
  });

  it('an RSA key over 4096 bits (signed on the event loop) and a credential over 32 KiB (KMS encrypts at most 64 KiB) → 422, nothing called', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 4160 });
    const big = JSON.stringify({ type: 'service_account', project_id: 'p', client_email: 'sa@p.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const hits = providers.hits.length;
    const rsa = await setup('gcp', big);
    expect(rsa.status).toBe(422);
    expect(await rsa.json()).toMatchObject({ detail: expect.stringMatching(/4160 bits; at most 4096/) });
    const huge = await setup('openai', `sk-${'a'.repeat(33_000)}`);
    expect(huge.status).toBe(422);
    expect(await huge.json()).toMatchObject({ detail: expect.stringMatching(/credential.*32768 bytes/) });
    // Counted in bytes, as KMS counts them: 11,000 three-byte characters are 33,000 bytes.
    expect((await setup('openai', `sk-${'€'.repeat(11_000)}`)).status).toBe(422);
    expect(providers.hits.length).toBe(hits);
  });

  it('unknown provider → 404 listing the providers; unknown fields and short credentials → 422', async () => {
    const res = await setup('mistral', 'sk-whatever-0000000000');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ details: { providers: expect.arrayContaining(['openai', 'anthropic', 'gemini', 'deepseek', 'gcp']) } });
    expect((await call('POST', '/openai/setup', { credential: OPENAI, colour: 'blue' })).status).toBe(422);
    expect((await call('POST', '/openai/setup', { credential: 'sk-short' })).status).toBe(422);
    expect((await call('POST', '/openai/setup', { api_key: OPENAI })).status).toBe(200);
  });
});

describe('status, validate, update, delete', () => {
  it('lists every provider, configured or not, in one round-trip', async () => {
    const res = await call('GET', '');
    const body = (await res.json()) as { integrations: Record<string, { status: string; fingerprint: string | null }>; providers_configured: string[]; all_valid: boolean };
    expect(Object.keys(body.integrations)).toEqual(expect.arrayContaining(['OPENAI', 'ANTHROPIC', 'GEMINI', 'DEEPSEEK', 'GCP_SA', 'TESTLLM']));
    expect(body.integrations.OPENAI!.status).toBe('VALID');
    expect(body.integrations.DEEPSEEK!.status).toBe('INVALID');
    expect(body.all_valid).toBe(false);
    const line = deps.logger.lines.find((l) => l.client_request_id === res.headers.get('x-request-id') || l.request_id === res.headers.get('x-request-id'))!;
    expect(line.warehouse_depth).toBe(1);
  });

  it('validate re-checks whatever the stored status: INVALID becomes VALID when the provider accepts the key again', async () => {
    const k = 'sk-reenabled-deepseek-000077';
    expect(await (await setup('deepseek', k)).json()).toMatchObject({ validation_status: 'INVALID' });
    providers.accepted.add(k);
    const res = await call('POST', '/deepseek/validate');
    expect(await res.json()).toMatchObject({ success: true, validation_status: 'VALID', validation_error: null });
    expect(await (await call('GET', '/deepseek')).json()).toMatchObject({ status: 'VALID', last_error: null });
    expect(await (await call('POST', '/testllm/validate')).json()).toMatchObject({ validation_status: 'VALID' });
  });

  it('PUT renames in place, or with a credential sets up anew', async () => {
    expect(await (await call('PUT', '/openai', { credential_name: 'Renamed', metadata: { team: 'ml' } })).json()).toMatchObject({ credential_name: 'Renamed', metadata: { team: 'ml' }, status: 'VALID' });
    expect(await (await call('PUT', '/openai', { credential: OPENAI })).json()).toMatchObject({ validation_status: 'VALID' });
  });

  it('DELETE deactivates (rows kept); validate then says NOT_CONFIGURED', async () => {
    const res = await call('DELETE', '/testllm');
    expect(await res.json()).toEqual({ success: true, message: expect.any(String), provider: 'TESTLLM' });
    expect(await (await call('GET', '/testllm')).json()).toMatchObject({ status: 'NOT_CONFIGURED' });
    expect(await (await call('POST', '/testllm/validate')).json()).toMatchObject({ success: false, validation_status: 'NOT_CONFIGURED' });
    expect((await rowsOf(deps, 'org_integration_credentials', 'int_co', "provider = 'TESTLLM'")).length).toBeGreaterThan(0);
    expect((await call('DELETE', '/testllm')).status).toBe(404);
    expect((await call('PUT', '/testllm', { credential_name: 'x' })).status).toBe(404);
  });

  it('setup takes at most 3 sequential warehouse round-trips besides the provider call', async () => {
    const res = await setup('openai', OPENAI);
    const id = res.headers.get('x-request-id');
    const line = deps.logger.lines.find((l) => l.request_id === id)!;
    expect(line.warehouse_depth).toBeLessThanOrEqual(3);
  });
});

describe('the plan\'s providers limit', () => {
  it('a STARTER org (3 providers) cannot configure a fourth: 403 naming the limit and the plan', async () => {
    const small = (await onboard(deps, 'small_co')).api_key;
    const go = (provider: string, credential: string) => app.fetch(new Request(`http://fn/api/v1/integrations/small_co/${provider}/setup`, {
      method: 'POST', headers: { 'x-api-key': small, 'content-type': 'application/json' }, body: JSON.stringify({ credential }),
    }));
    for (const [p, c] of [['openai', OPENAI], ['anthropic', ANTHROPIC], ['gemini', GEMINI]] as const) expect((await go(p, c)).status).toBe(200);
    const fourth = await go('deepseek', DEEPSEEK);
    expect(fourth.status).toBe(403);
    expect(await fourth.json()).toMatchObject({ message: expect.stringMatching(/STARTER plan allows 3/) });
    // Replacing one of the three is not a fourth.
    expect((await go('openai', OPENAI)).status).toBe(200);
  });
});

describe('a credential never leaves the service', () => {
  it('an encrypted credential moved to another org does not decrypt there', async () => {
    const table = deps.warehouse.table('organizations', 'org_integration_credentials');
    await deps.warehouse.execute({
      sql: `INSERT INTO ${table} (credential_id, org_slug, org_id, provider, credential_name, encrypted_credential, credential_type, fingerprint, validation_status, is_active, created_at, updated_at)
            SELECT 'moved-1', 'other_co', (SELECT onboarding_claim_id FROM ${deps.warehouse.table('organizations', 'org_profiles')} WHERE org_slug = 'other_co'), provider, credential_name, encrypted_credential, credential_type, fingerprint, validation_status, TRUE, created_at, updated_at
            FROM ${table} WHERE org_slug = 'int_co' AND provider = 'OPENAI' AND is_active`,
    });
    const [row] = await rowsOf(deps, 'org_integration_credentials', 'other_co', "credential_id = 'moved-1'");
    await expect(deps.encryptor.decrypt(row!.encrypted_credential as Buffer, `org:other_co:${String(row!.org_id)}:integration:OPENAI`)).rejects.toThrow();
    // Through the API: the other org's validate finds a credential it cannot read, and says so.
    const res = await app.fetch(new Request('http://fn/api/v1/integrations/other_co/openai/validate', { method: 'POST', headers: { 'x-api-key': otherKey } }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ success: false, validation_status: 'INVALID', validation_error: expect.stringMatching(/could not be decrypted/) });
  });

  it('no response, log line or audit row of this suite contains a credential, or more of it than the fingerprint', async () => {
    const audit = JSON.stringify(await rowsOf(deps, 'org_audit_logs', 'int_co'));
    const logs = deps.logger.lines.map((l) => JSON.stringify(l));
    const haystack = [...seen, ...logs, audit].join('\n');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(haystack.includes(secret), 'whole credential').toBe(false);
      // The fingerprint shows 3 characters of the start; nothing longer may appear.
      if (secret.length >= 8 && !secret.startsWith('{') && !secret.startsWith('[')) expect(haystack.includes(secret.slice(0, 8)), `prefix of ${secret.slice(0, 3)}...`).toBe(false);
    }
    const pemLine = JSON.parse(providers.serviceAccount().json).private_key.split('\n')[2];
    expect(haystack.includes(pemLine)).toBe(false);
  });
});
