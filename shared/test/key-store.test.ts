import { describe, expect, it } from 'vitest';
import { createDeps } from '../src/app/create-deps.js';
import { loadConfig } from '../src/config.js';
import { createKey } from '../src/orgs/keys/create.js';
import { fingerprintOf, hashOrgApiKey, newOrgApiKey, orgOfKey } from '../src/orgs/keys/format.js';
import { listKeys } from '../src/orgs/keys/list.js';
import { regenerateKey } from '../src/orgs/keys/regenerate.js';
import { revealKey } from '../src/orgs/keys/reveal.js';
import { revokeKey } from '../src/orgs/keys/revoke.js';
import { rotateKey } from '../src/orgs/keys/rotate.js';
import { LocalKeyUsageAppender } from '../src/orgs/keys/usage.js';
import { keyUsageTables } from '../src/warehouse/schemas.js';
import { CachedKeyVerifier } from '../src/orgs/keys/verifier.js';
import { RoundTripMeter, withMeter } from '../src/warehouse/metering.js';
import { testDeps, TEST_ENCRYPTION_KEY, TEST_ROOT_KEY } from './support/deps.js';
import { bootstrap, onboard, rowsOf, settableClock, testCtx } from './support/orgs.js';

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
    const other = new CachedKeyVerifier(deps.warehouse, deps.clock, { ttlMs: TTL, negativeTtlMs: 5000 });
    expect(await deps.orgKeys.verify(org.api_key)).not.toBeNull();
    expect(await other.verify(org.api_key)).not.toBeNull();

    await revokeKey(testCtx(deps), { keyHash: hashOrgApiKey(org.api_key) });
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await other.verify(org.api_key)).not.toBeNull(); // still cached there
    time.advance(TTL + 1);
    expect(await other.verify(org.api_key)).toBeNull();
  });

  it('expiry is checked on every call, cached or not', async () => {
    const { deps, time } = await setup();
    const key = await createKey(testCtx(deps), { org_slug: 'cache_co', expires_at: new Date(time.clock().getTime() + 10_000).toISOString() });
    expect(await deps.orgKeys.verify(key.api_key)).not.toBeNull();
    time.advance(10_001);
    expect(await deps.orgKeys.verify(key.api_key)).toBeNull();
  });

  it('never writes usage on the request path: last_used_at is MAX() over appended usage events', async () => {
    const { deps, org, time } = await setup();
    const meter = new RoundTripMeter();
    await withMeter(meter, () => deps.orgKeys.verify(org.api_key));
    expect(meter.calls.map((c) => c.op)).toEqual(['query']);
    const usage = await LocalKeyUsageAppender.start(deps.warehouse, deps.logger, 3_600_000);
    expect((await listKeys(deps, { orgSlug: 'cache_co' }))[0]!.last_used_at).toBeNull();
    usage.record({ orgSlug: 'cache_co', keyId: org.api_key_id, requestId: 'a', at: deps.clock() });
    time.advance(5000);
    const later = deps.clock();
    usage.record({ orgSlug: 'cache_co', keyId: org.api_key_id, requestId: 'b', at: later });
    expect(await usage.flush()).toBe(2);
    expect((await listKeys(deps, { orgSlug: 'cache_co' }))[0]!.last_used_at).toBe(later.toISOString());
    // The key row itself is never updated for usage.
    expect((await rowsOf(deps, 'org_api_keys', 'cache_co'))[0]!.last_used_at).toBeNull();
    await usage.close();
  });

  it('usage leaves in statements of at most 500 rows, and close() writes what is left', async () => {
    const { deps, org } = await setup();
    const usage = await LocalKeyUsageAppender.start(deps.warehouse, deps.logger, 3_600_000);
    for (let i = 0; i < 1_200; i++) usage.record({ orgSlug: 'cache_co', keyId: org.api_key_id, requestId: `r${i}`, at: deps.clock() });
    expect(await usage.flush()).toBe(500);
    await usage.close();
    const set = keyUsageTables();
    const [row] = await deps.warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${deps.warehouse.table(set.dataset!, set.tables[0]!.name)}` });
    expect(Number(row!.n)).toBe(1_200);
  });

  it('rotation with a grace period keeps the old key working until it ends', async () => {
    const { deps, time, org } = await setup();
    const verified = await deps.orgKeys.verify(org.api_key);
    const rotated = await rotateKey(testCtx(deps), { orgSlug: 'cache_co', keyId: verified!.keyId, graceSeconds: 600 });
    expect(rotated.previous_key_valid_until).toBe(new Date(time.clock().getTime() + 600_000).toISOString());
    expect(await deps.orgKeys.verify(org.api_key)).not.toBeNull();
    expect(await deps.orgKeys.verify(rotated.api_key)).not.toBeNull();
    time.advance(600_001);
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await deps.orgKeys.verify(rotated.api_key)).not.toBeNull();
    await expect(rotateKey(testCtx(deps), { orgSlug: 'cache_co', keyId: verified!.keyId, graceSeconds: 86_401 })).rejects.toThrow(/between 0 and 86400/);
  });
});

describe('development-only key reveal', () => {
  it('decrypts the newest key in development and refuses outside it', async () => {
    const { deps, org } = await setup();
    expect((await revealKey(testCtx(deps), { orgSlug: 'cache_co' })).api_key).toBe(org.api_key);
    expect(await rowsOf(deps, 'org_audit_logs', 'cache_co', "action = 'API_KEY_REVEAL'")).toHaveLength(1);
    const staging = await createDeps(loadConfig({ ENVIRONMENT: 'staging', CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }), { warehouse: deps.warehouse, logger: deps.logger });
    const production = { ...staging, config: { ...staging.config, environment: 'production' as const } };
    await expect(revealKey(testCtx(production), { orgSlug: 'cache_co' })).rejects.toThrow(/development only/);
  });

  it('outside development stores no encrypted copy of a key at all (onboarding, rotation, creation)', async () => {
    const { deps } = await setup();
    const staging = await createDeps(loadConfig({ ENVIRONMENT: 'staging', CA_ROOT_API_KEY: TEST_ROOT_KEY, LOCAL_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY }), { warehouse: deps.warehouse, logger: deps.logger, clock: deps.clock });
    const org = await onboard(staging, 'staged_co');
    const verified = await staging.orgKeys.verify(org.api_key);
    await rotateKey(testCtx(staging), { orgSlug: 'staged_co', keyId: verified!.keyId, graceSeconds: 0 });
    await createKey(testCtx(staging), { org_slug: 'staged_co' });
    const rows = await rowsOf(deps, 'org_api_keys', 'staged_co');
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r.encrypted_org_api_key).toBeNull();
  });

  it('cannot decrypt a key copied to another org (the encryption context binds it)', async () => {
    const { deps } = await setup();
    await onboard(deps, 'other_co');
    await deps.warehouse.execute({
      sql: `UPDATE ${deps.warehouse.table('organizations', 'org_api_keys')} SET encrypted_org_api_key = (SELECT encrypted_org_api_key FROM ${deps.warehouse.table('organizations', 'org_api_keys')} WHERE org_slug = 'cache_co') WHERE org_slug = 'other_co'`,
    });
    await expect(revealKey(testCtx(deps), { orgSlug: 'other_co' })).rejects.toThrow(/context/);
  });
});

describe('profile cache (hot locale reads)', () => {
  it('a locale change is seen at once on this instance and within the TTL on another', async () => {
    const { deps, time } = await setup();
    const { ProfileCache } = await import('../src/orgs/profiles/cache.js');
    const { getLocale } = await import('../src/orgs/locale/get.js');
    const { updateLocale } = await import('../src/orgs/locale/update.js');
    const other = { ...deps, profiles: new ProfileCache(deps.warehouse, deps.clock, TTL) };
    const org = { orgSlug: 'cache_co' };
    expect((await getLocale(deps, org)).default_currency).toBe('USD');
    expect((await getLocale(other, org)).default_currency).toBe('USD');
    await updateLocale(testCtx(deps), { ...org, change: { default_currency: 'EUR' } });
    expect((await getLocale(deps, org)).default_currency).toBe('EUR');
    expect((await getLocale(other, org)).default_currency).toBe('USD');
    time.advance(TTL + 1);
    expect((await getLocale(other, org)).default_currency).toBe('EUR');
  });

  it('concurrent cold reads share one query, and a missing org is not remembered', async () => {
    const { deps } = await setup();
    const { getLocale } = await import('../src/orgs/locale/get.js');
    const meter = new RoundTripMeter();
    await withMeter(meter, () => Promise.all(Array.from({ length: 20 }, () => getLocale(deps, { orgSlug: 'cache_co' }))));
    expect(meter.count).toBe(1);
    await expect(getLocale(deps, { orgSlug: 'later_co' })).rejects.toThrow(/not found/);
    await onboard(deps, 'later_co');
    expect((await getLocale(deps, { orgSlug: 'later_co' })).org_slug).toBe('later_co');
  });
});

describe('regenerating keys', () => {
  it('issues the new key while reading the org, then one conditional statement swaps the keys: three sequential round-trips', async () => {
    const { deps, org } = await setup();
    const meter = new RoundTripMeter();
    const fresh = await withMeter(meter, () => regenerateKey(testCtx(deps), { orgSlug: 'cache_co' }));
    // (1) profile | insert, (2) move the key epoch, (3) mark old rows revoked | audit
    expect(meter.depth).toBe(3);
    expect(await deps.orgKeys.verify(org.api_key)).toBeNull();
    expect(await deps.orgKeys.verify(fresh.api_key)).not.toBeNull();
    expect(await rowsOf(deps, 'org_api_keys', 'cache_co', 'is_active')).toHaveLength(1);
  });
});
