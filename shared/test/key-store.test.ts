import { describe, expect, it } from 'vitest';
import { createDeps } from '../src/app/create-deps.js';
import { loadConfig } from '../src/config.js';
import { createKey, revealKey, revokeKey, rotateKey } from '../src/orgs/api-keys.js';
import { KeyStoreOptions, OrgKeyStore } from '../src/orgs/key-store.js';
import { fingerprintOf, hashOrgApiKey, newOrgApiKey, orgOfKey } from '../src/orgs/keys.js';
import { RoundTripMeter, withMeter } from '../src/warehouse/metering.js';
import { testDeps, TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from './support/deps.js';
import { bootstrap, onboard, rowsOf, settableClock } from './support/orgs.js';

const TTL = 60_000;

async function setup() {
  const time = settableClock();
  const deps = await testDeps({ ORG_KEY_CACHE_TTL_SECONDS: String(TTL / 1000) }, { clock: time.clock });
  await bootstrap(deps);
  const org = await onboard(deps, 'cache_co');
  return { deps, time, org };
}

describe('org key format', () => {
  it('is sk_{slug}_{32 url-safe chars}, and the slug can be read back even with underscores', () => {
    const key = newOrgApiKey('acme_corp_eu');
    expect(key).toMatch(/^sk_acme_corp_eu_[A-Za-z0-9_-]{32}$/);
    expect(orgOfKey(key)).toBe('acme_corp_eu');
    expect(fingerprintOf(key)).toBe(`sk_acme_corp_eu_...${key.slice(-4)}`);
    expect(hashOrgApiKey(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(orgOfKey('sk_x_short')).toBeUndefined();
    expect(orgOfKey(`pk_acme_${'a'.repeat(32)}`)).toBeUndefined();
  });
});

describe('org key store', () => {
  it('caches a verified key: the second check makes no warehouse call', async () => {
    const { deps, org } = await setup();
    const meter = new RoundTripMeter();
    await withMeter(meter, async () => {
      expect(await deps.orgKeys.verify(org.api_key)).toMatchObject({ orgSlug: 'cache_co', orgStatus: 'ACTIVE' });
      expect(await deps.orgKeys.verify(org.api_key)).not.toBeNull();
    });
    expect(meter.count).toBe(1);
  });

  it('revocation applies at once on this instance and within the TTL on another', async () => {
    const { deps, time, org } = await setup();
    const other = new OrgKeyStore(deps.warehouse, deps.clock, { ttlMs: TTL, flushMs: 3_600_000, logger: deps.logger } satisfies KeyStoreOptions);
    expect(await deps.orgKeys.verify(org.api_key)).not.toBeNull();
    expect(await other.verify(org.api_key)).not.toBeNull();

    await revokeKey(deps, hashOrgApiKey(org.api_key), 'r');
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await other.verify(org.api_key)).not.toBeNull(); // still cached there
    time.advance(TTL + 1);
    expect(await other.verify(org.api_key)).toBeNull();
    other.close();
  });

  it('expiry is checked on every call, cached or not', async () => {
    const { deps, time } = await setup();
    const key = await createKey(deps, { org_slug: 'cache_co', expires_at: new Date(time.clock().getTime() + 10_000).toISOString() }, 'r');
    expect(await deps.orgKeys.verify(key.api_key)).not.toBeNull();
    time.advance(10_001);
    expect(await deps.orgKeys.verify(key.api_key)).toBeNull();
  });

  it('writes last_used_at in one batched UPDATE off the request path', async () => {
    const { deps, org } = await setup();
    const store = deps.orgKeys as OrgKeyStore;
    const meter = new RoundTripMeter();
    await withMeter(meter, () => store.verify(org.api_key));
    expect(meter.calls.map((c) => c.op)).toEqual(['query']);
    expect((await rowsOf(deps, 'org_api_keys', 'cache_co'))[0]!.last_used_at).toBeNull();
    expect(await store.flushUsage()).toBe(1);
    expect((await rowsOf(deps, 'org_api_keys', 'cache_co'))[0]!.last_used_at).toBe(deps.clock().toISOString());
    expect(await store.flushUsage()).toBe(0);
  });

  it('rotation with a grace period keeps the old key working until it ends', async () => {
    const { deps, time, org } = await setup();
    const verified = await deps.orgKeys.verify(org.api_key);
    const rotated = await rotateKey(deps, 'cache_co', verified!.keyId, 600, 'r');
    expect(rotated.previous_key_valid_until).toBe(new Date(time.clock().getTime() + 600_000).toISOString());
    expect(await deps.orgKeys.verify(org.api_key)).not.toBeNull();
    expect(await deps.orgKeys.verify(rotated.api_key)).not.toBeNull();
    time.advance(600_001);
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await deps.orgKeys.verify(rotated.api_key)).not.toBeNull();
    await expect(rotateKey(deps, 'cache_co', verified!.keyId, 86_401, 'r')).rejects.toThrow(/between 0 and 86400/);
  });
});

describe('development-only key reveal', () => {
  it('decrypts the newest key in development and refuses outside it', async () => {
    const { deps, org } = await setup();
    expect((await revealKey(deps, 'cache_co')).api_key).toBe(org.api_key);
    const staging = await createDeps(loadConfig({ ENVIRONMENT: 'staging', CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }), { warehouse: deps.warehouse, logger: deps.logger });
    const production = { ...staging, config: { ...staging.config, environment: 'production' as const } };
    await expect(revealKey(production, 'cache_co')).rejects.toThrow(/development only/);
  });

  it('cannot decrypt a key copied to another org (the encryption context binds it)', async () => {
    const { deps } = await setup();
    await onboard(deps, 'other_co');
    await deps.warehouse.execute({
      sql: `UPDATE ${deps.warehouse.table('organizations', 'org_api_keys')} SET encrypted_org_api_key = (SELECT encrypted_org_api_key FROM ${deps.warehouse.table('organizations', 'org_api_keys')} WHERE org_slug = 'cache_co') WHERE org_slug = 'other_co'`,
    });
    await expect(revealKey(deps, 'other_co')).rejects.toThrow(/context/);
  });
});

describe('profile cache (hot locale reads)', () => {
  it('a locale change is seen at once on this instance and within the TTL on another', async () => {
    const { deps, time } = await setup();
    const { ProfileCache } = await import('../src/orgs/profile-cache.js');
    const { getLocale, updateLocale } = await import('../src/orgs/locale.js');
    const other = { ...deps, profiles: new ProfileCache(deps.warehouse, deps.clock, TTL) };
    expect((await getLocale(deps, 'cache_co')).default_currency).toBe('USD');
    expect((await getLocale(other, 'cache_co')).default_currency).toBe('USD');
    await updateLocale(deps, 'cache_co', { default_currency: 'EUR' }, 'r');
    expect((await getLocale(deps, 'cache_co')).default_currency).toBe('EUR');
    expect((await getLocale(other, 'cache_co')).default_currency).toBe('USD');
    time.advance(TTL + 1);
    expect((await getLocale(other, 'cache_co')).default_currency).toBe('EUR');
  });

  it('concurrent cold reads share one query, and a missing org is not remembered', async () => {
    const { deps } = await setup();
    const { getLocale } = await import('../src/orgs/locale.js');
    const meter = new RoundTripMeter();
    await withMeter(meter, () => Promise.all(Array.from({ length: 20 }, () => getLocale(deps, 'cache_co'))));
    expect(meter.count).toBe(1);
    await expect(getLocale(deps, 'later_co')).rejects.toThrow(/not found/);
    await onboard(deps, 'later_co');
    expect((await getLocale(deps, 'later_co')).org_slug).toBe('later_co');
  });
});

describe('regenerating keys', () => {
  it('retires the old keys in parallel with issuing the new one: two sequential round-trips', async () => {
    const { deps, org } = await setup();
    const { regenerateKey } = await import('../src/orgs/api-keys.js');
    const meter = new RoundTripMeter();
    const fresh = await withMeter(meter, () => regenerateKey(deps, 'cache_co', 'r'));
    expect(meter.depth).toBe(2);
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await deps.orgKeys.verify(fresh.api_key)).not.toBeNull();
    expect(await rowsOf(deps, 'org_api_keys', 'cache_co', 'is_active')).toHaveLength(1);
  });
});
