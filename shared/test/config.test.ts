import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFunction } from '../src/app/function.js';
import { checkResolvedRootKey, ConfigError, loadConfig } from '../src/config.js';
import { TEST_ENCRYPTION_KEY } from './support/deps.js';
import { resolveSecret, SecretManagerSource, type SecretSource } from '../src/secrets/index.js';

const longKey = 'k'.repeat(32);
const prodOk = { ENVIRONMENT: 'production', CA_ROOT_API_KEY: longKey, WAREHOUSE: 'bigquery', GCP_PROJECT_ID: 'p', ENCRYPTION: 'kms', KMS_KEY_NAME: 'projects/p/locations/l/keyRings/r/cryptoKeys/k' };

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
}

describe('config', () => {
  it('defaults to development on embedded DuckDB with local encryption', () => {
    const c = loadConfig({});
    expect(c.environment).toBe('development');
    expect(c.warehouse).toEqual({ kind: 'duckdb', path: '.data/cloudact.duckdb' });
    expect(c.encryption.kind).toBe('local');
    expect(c.port).toBe(8080);
    expect(c.auth.disabled).toBe(false);
  });

  it('accepts a complete production configuration', () => {
    expect(problems(prodOk)).toEqual([]);
  });

  it.each([
    [{ CA_ROOT_API_KEY: 'short' }, /CA_ROOT_API_KEY must be at least 32/],
    [{ CA_ROOT_API_KEY: '' }, /CA_ROOT_API_KEY must be at least 32/],
    [{ DISABLE_AUTH: 'true' }, /DISABLE_AUTH=true is not allowed in production/],
    [{ WAREHOUSE: 'duckdb' }, /requires WAREHOUSE=bigquery/],
    [{ ENCRYPTION: 'local' }, /requires ENCRYPTION=kms/],
  ])('refuses production with %o, naming the problem', (override, message) => {
    const found = problems({ ...prodOk, ...override });
    expect(found.join('\n')).toMatch(message);
    expect(() => loadConfig({ ...prodOk, ...override })).toThrow(message);
  });

  it('names every problem at once', () => {
    const found = problems({ ENVIRONMENT: 'production', DISABLE_AUTH: 'true' });
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toMatch(/CA_ROOT_API_KEY[\s\S]*DISABLE_AUTH[\s\S]*WAREHOUSE[\s\S]*ENCRYPTION/);
  });

  it('lets the production root key come from Secret Manager', () => {
    expect(problems({ ...prodOk, CA_ROOT_API_KEY: '', CA_ROOT_API_KEY_SECRET: 'projects/p/secrets/root/versions/1' })).toEqual([]);
  });

  it('rejects unknown enum values with the variable name', () => {
    expect(problems({ ENVIRONMENT: 'prod' }).join()).toMatch(/ENVIRONMENT/);
    expect(problems({ WAREHOUSE: 'postgres' }).join()).toMatch(/WAREHOUSE/);
  });

  it('needs a project for BigQuery and a key name for KMS in any environment', () => {
    expect(problems({ WAREHOUSE: 'bigquery' }).join()).toMatch(/GCP_PROJECT_ID/);
    expect(problems({ ENCRYPTION: 'kms' }).join()).toMatch(/KMS_KEY_NAME/);
  });

  it('refuses a KMS_KEY_NAME that is not a CryptoKey resource name', () => {
    expect(loadConfig({ ENCRYPTION: 'kms', KMS_KEY_NAME: 'projects/p/locations/global/keyRings/r/cryptoKeys/k' }).encryption).toEqual({ kind: 'kms', keyName: 'projects/p/locations/global/keyRings/r/cryptoKeys/k' });
    for (const bad of ['my-key', 'projects/p/locations/global/keyRings/r', 'projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', 'projects//locations/l/keyRings/r/cryptoKeys/k', ' projects/p/locations/l/keyRings/r/cryptoKeys/k']) {
      expect(problems({ ENCRYPTION: 'kms', KMS_KEY_NAME: bad }).join(), bad).toMatch(/KMS_KEY_NAME must be projects\/P\/locations\/L\/keyRings\/R\/cryptoKeys\/K/);
    }
  });

  it('refuses an onboarding lease that does not outlive the function timeout', () => {
    expect(problems({ FUNCTION_TIMEOUT_SECONDS: '120', ONBOARDING_LEASE_SECONDS: '120' }).join()).toMatch(/ONBOARDING_LEASE_SECONDS \(120\) must be longer than FUNCTION_TIMEOUT_SECONDS \(120\)/);
    expect(problems({ FUNCTION_TIMEOUT_SECONDS: '300' }).join()).toMatch(/ONBOARDING_LEASE_SECONDS/);
    expect(loadConfig({ FUNCTION_TIMEOUT_SECONDS: '120', ONBOARDING_LEASE_SECONDS: '300' })).toMatchObject({ functionTimeoutMs: 120_000, onboardingLeaseMs: 300_000 });
    expect(loadConfig({}).functionTimeoutMs).toBeUndefined();
  });

  it('allows DISABLE_AUTH outside production', () => {
    expect(loadConfig({ DISABLE_AUTH: 'true', ENVIRONMENT: 'staging' }).auth.disabled).toBe(true);
  });

  it('parses CORS origins as a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'http://a.test, https://b.test,' }).corsOrigins).toEqual(['http://a.test', 'https://b.test']);
  });

  it('checks the length of a root key read from Secret Manager once resolved', () => {
    const config = loadConfig({ ...prodOk, CA_ROOT_API_KEY: '', CA_ROOT_API_KEY_SECRET: 'projects/p/secrets/root/versions/1' });
    expect(() => checkResolvedRootKey(config, 'short')).toThrow(/root key must be at least 32/);
    expect(() => checkResolvedRootKey(config, longKey)).not.toThrow();
  });
});

describe('secrets port', () => {
  const store: Record<string, string> = { 'projects/p/secrets/root/versions/3': `${longKey}\n` };
  const client = {
    async accessSecretVersion({ name }: { name: string }) {
      if (!(name in store)) throw Object.assign(new Error('NOT_FOUND'), { code: 5 });
      return [{ payload: { data: Buffer.from(store[name]!) } }] as [{ payload: { data: Buffer } }];
    },
  };

  it('reads a secret version and trims the trailing newline', async () => {
    const source = new SecretManagerSource(client);
    expect(await source.read('projects/p/secrets/root/versions/3')).toBe(longKey);
  });

  it('rejects a name that is not a secret version', async () => {
    await expect(new SecretManagerSource(client).read('root')).rejects.toThrow(/Not a secret version name/);
  });

  it('prefers the secret version over the direct value when both are set', async () => {
    const source: SecretSource = new SecretManagerSource(client);
    expect(await resolveSecret('direct', 'projects/p/secrets/root/versions/3', source)).toBe(longKey);
    expect(await resolveSecret('direct', undefined, source)).toBe('direct');
  });
});

describe('what the config names is read and checked at start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ca-config-'));
  const missing = join(dir, 'nope.yml');
  const badLimits = join(dir, 'bad-limits.yml');
  writeFileSync(badLimits, 'window_seconds: 60\nroot: { read: 1 }\n');
  const badProviders = join(dir, 'bad-providers.yml');
  writeFileSync(badProviders, 'providers: []\n');
  const start = (env: Record<string, string>) => startFunction('locale', [], { CA_ROOT_API_KEY: longKey, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY, DUCKDB_PATH: ':memory:', ...env });

  it('a missing RATE_LIMITS_FILE stops the start, naming the variable and the file (not a 500 on every request)', async () => {
    await expect(start({ RATE_LIMITS_FILE: missing })).rejects.toThrow(ConfigError);
    await expect(start({ RATE_LIMITS_FILE: missing })).rejects.toThrow(/RATE_LIMITS_FILE.*nope\.yml/);
  });

  it('a RATE_LIMITS_FILE that is not a budget file stops the start too', async () => {
    await expect(start({ RATE_LIMITS_FILE: badLimits })).rejects.toThrow(/RATE_LIMITS_FILE.*bad-limits\.yml/);
  });

  it('a missing or invalid PROVIDERS_FILE stops the start', async () => {
    await expect(start({ PROVIDERS_FILE: missing })).rejects.toThrow(/PROVIDERS_FILE.*nope\.yml/);
    await expect(start({ PROVIDERS_FILE: badProviders })).rejects.toThrow(/PROVIDERS_FILE.*bad-providers\.yml/);
  });

  it('a *_BASE_URL that is not a URL, or a malformed LOCAL_ENCRYPTION_KEY, stops the start', async () => {
    await expect(start({ OPENAI_API_BASE_URL: 'not a url' })).rejects.toThrow(/OPENAI_API_BASE_URL/);
    await expect(start({ LOCAL_ENCRYPTION_KEY: 'short' })).rejects.toThrow(/LOCAL_ENCRYPTION_KEY/);
  });

  it('the default files (configs/) are read at start and pass', async () => {
    const started = await start({});
    expect(started.app.name).toBe('locale');
  });
});
