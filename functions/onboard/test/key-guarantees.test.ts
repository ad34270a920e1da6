import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { CachedKeyVerifier } from '@cloudact/shared/orgs/keys/verifier';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { bootstrap, onboard, rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * What key verbs guarantee on a warehouse without transactions: of concurrent rotations or
 * regenerations exactly one wins, and whatever single call fails (before reaching the warehouse,
 * or after it did its work with the answer lost), the org keeps at least one working key and the
 * audit log names only changes that happened.
 */
const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

/** `concurrent`: mutating statements really overlap and conflict, as on BigQuery (see duckdb-concurrent.ts). */
async function setup(mode: 'queued' | 'concurrent' = 'queued') {
  const time = settableClock();
  const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:', { concurrentDml: mode === 'concurrent' }));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: faulty, clock: time.clock });
  await bootstrap(deps);
  const app = buildFunctionApp('onboard', routes, deps);
  // The truth in the warehouse, with no cache in the way.
  const fresh = () => new CachedKeyVerifier(faulty, time.clock, { ttlMs: 0, negativeTtlMs: 0 });
  // As the auth policy decides: a verified key of an org that is live.
  const works = async (key: string) => ['ACTIVE', 'TRIAL'].includes((await fresh().verify(key))?.orgStatus ?? 'none');
  const rotate = (key: string, grace = 0) => app.fetch(new Request('http://fn/api/v1/organizations/keys_co/api-key/rotate', {
    method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ grace_period_seconds: grace }),
  }));
  const regenerate = () => app.fetch(new Request('http://fn/api/v1/admin/organizations/keys_co/regenerate-api-key', { method: 'POST', headers: root }));
  const audits = async (action: string) => (await rowsOf(deps, 'org_audit_logs', 'keys_co', `action = '${action}'`)).length;
  return { deps, app, faulty, time, works, rotate, regenerate, audits };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function usableKeys(s: Setup, slug = 'keys_co'): Promise<number> {
  const rows = await s.deps.warehouse.query({
    sql: `SELECT COUNT(*) AS n FROM ${s.deps.warehouse.table('organizations', 'org_api_keys')} AS k
          JOIN ${s.deps.warehouse.table('organizations', 'org_profiles')} AS p ON p.org_slug = k.org_slug
          LEFT JOIN ${s.deps.warehouse.table('organizations', 'org_api_keys')} AS pred ON pred.org_api_key_id = k.rotated_from
          WHERE k.org_slug = @org AND k.is_active AND COALESCE(k.key_epoch, '') = COALESCE(p.key_epoch, '')
            AND (k.rotated_from IS NULL OR pred.rotated_to = k.org_api_key_id) AND (k.expires_at IS NULL OR k.expires_at > @now)`,
    params: { org: slug, now: s.deps.clock() },
  });
  return Number(rows[0]!.n);
}

describe('rotation under concurrency', () => {
  it('50 concurrent rotations of one key: one 200, 49 × 409, exactly one working key afterwards', async () => {
    const s = await setup('concurrent');
    const org = await onboard(s.deps, 'keys_co');
    const answers = await Promise.all(Array.from({ length: 50 }, () => s.rotate(org.api_key)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((x) => x === 200)).toHaveLength(1);
    expect(statuses.filter((x) => x === 409)).toHaveLength(49);
    const winner = (await answers.find((r) => r.status === 200)!.json()) as { api_key: string };
    expect(await s.works(winner.api_key)).toBe(true);
    expect(await s.works(org.api_key)).toBe(false);
    expect(await usableKeys(s)).toBe(1);
    expect(await s.audits('API_KEY_ROTATE')).toBe(1);
  });

  it('with a grace period, 50 concurrent rotations mint one successor; the old key cannot be rotated again while it lives', async () => {
    const s = await setup('concurrent');
    const org = await onboard(s.deps, 'keys_co');
    const answers = await Promise.all(Array.from({ length: 50 }, () => s.rotate(org.api_key, 600)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const winner = (await answers.find((r) => r.status === 200)!.json()) as { api_key: string; previous_key_valid_until: string };
    expect(await usableKeys(s)).toBe(2); // the successor, and the old key until its grace ends
    const again = await s.rotate(org.api_key, 600);
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ details: { reason: 'already_rotated', valid_until: winner.previous_key_valid_until } });
    // The successor is the key to rotate.
    expect((await s.rotate(winner.api_key)).status).toBe(200);
    s.time.advance(601_000);
    expect(await s.works(org.api_key)).toBe(false);
    expect(await usableKeys(s)).toBe(1);
  });
});

describe('regeneration under concurrency', () => {
  it('20 concurrent regenerations: one 200, 19 × 409 saying so, and exactly the winner\'s key works', async () => {
    const s = await setup('concurrent');
    const org = await onboard(s.deps, 'keys_co');
    const answers = await Promise.all(Array.from({ length: 20 }, () => s.regenerate()));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = answers.filter((r) => r.status === 409);
    expect(losers).toHaveLength(19);
    expect(await losers[0]!.json()).toMatchObject({ details: { reason: 'concurrent_regeneration' } });
    const winner = (await answers.find((r) => r.status === 200)!.json()) as { api_key: string };
    expect(await s.works(winner.api_key)).toBe(true);
    expect(await s.works(org.api_key)).toBe(false);
    expect(await usableKeys(s)).toBe(1);
    expect(await s.audits('API_KEY_REGENERATE')).toBe(1);
  });
});

/** One call fails, at each position in turn, in each mode: what is left must be sound. */
async function eachFault(steps: number, run: (s: Setup, apiKey: string, k: number, mode: 'before' | 'after') => Promise<void>) {
  for (const mode of ['before', 'after'] as const) {
    for (let k = 1; k <= steps; k++) {
      const s = await setup();
      const org = await onboard(s.deps, 'keys_co');
      await run(s, org.api_key, k, mode);
    }
  }
}

describe('a warehouse fault at each step of a key verb', () => {
  it('rotation: the org always keeps a working key, and an audit row only for a rotation that happened', async () => {
    await eachFault(5, async (s, current, k, mode) => {
      s.faulty.armAt(k, mode);
      const res = await s.rotate(current);
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      const rotated = (await rowsOf(s.deps, 'org_api_keys', 'keys_co', 'rotated_to IS NOT NULL')).length === 1;
      if (res.status === 200) {
        const body = (await res.json()) as { api_key: string };
        expect(await s.works(body.api_key), label).toBe(true);
        expect(rotated, label).toBe(true);
      } else {
        expect(res.status, label).toBe(503);
        expect(rotated, label).toBe(false);
        expect(await s.works(current), label).toBe(true);
      }
      expect(await usableKeys(s), label).toBe(1);
      expect(await s.audits('API_KEY_ROTATE'), label).toBeLessThanOrEqual(rotated ? 1 : 0);
    });
  });

  it('regeneration: the org always keeps a working key, and an audit row only for a regeneration that happened', async () => {
    await eachFault(5, async (s, _key, k, mode) => {
      const before = (await rowsOf(s.deps, 'org_profiles', 'keys_co'))[0]!.key_epoch;
      s.faulty.armAt(k, mode);
      const res = await s.regenerate();
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      const moved = (await rowsOf(s.deps, 'org_profiles', 'keys_co'))[0]!.key_epoch !== before;
      expect(await usableKeys(s), label).toBe(1);
      if (res.status === 200) {
        expect(moved, label).toBe(true);
        expect(await s.works(((await res.json()) as { api_key: string }).api_key), label).toBe(true);
      } else {
        expect(res.status, label).toBe(503);
        expect(moved, label).toBe(false);
      }
      expect(await s.audits('API_KEY_REGENERATE'), label).toBeLessThanOrEqual(moved ? 1 : 0);
    });
  });

  it('deletion: either the org is deleted (and its keys dead) or nothing changed; the audit row only follows a deletion', async () => {
    await eachFault(6, async (s, apiKey, k, mode) => {
      s.faulty.armAt(k, mode);
      const res = await s.app.fetch(new Request('http://fn/api/v1/organizations/keys_co', { method: 'DELETE', headers: root, body: JSON.stringify({ confirm_org_slug: 'keys_co', delete_dataset: true }) }));
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      const status = (await rowsOf(s.deps, 'org_profiles', 'keys_co'))[0]!.status;
      if (status === 'DELETED') {
        expect(await s.works(apiKey), label).toBe(false);
      } else {
        expect(res.status, label).toBe(503);
        expect(await s.works(apiKey), label).toBe(true);
        expect(await s.audits('ORG_DELETE'), label).toBe(0);
      }
      if (res.status === 200) expect((await s.deps.warehouse.describeDataset('keys_co_prod')).size, label).toBe(0);
      // Whatever failed, sending the same request again finishes the job.
      const again = await s.app.fetch(new Request('http://fn/api/v1/organizations/keys_co', { method: 'DELETE', headers: root, body: JSON.stringify({ confirm_org_slug: 'keys_co', delete_dataset: true }) }));
      expect(again.status, label).toBe(200);
      expect((await s.deps.warehouse.describeDataset('keys_co_prod')).size, label).toBe(0);
      expect(await s.audits('ORG_DELETE'), label).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('a warehouse fault at each step of the other multi-write verbs', () => {
  const json = (s: Setup, method: string, path: string, body: unknown, headers: Record<string, string> = root) =>
    s.app.fetch(new Request(`http://fn${path}`, { method, headers, body: JSON.stringify(body) }));

  it('creating a key: either it works and may be audited, or nothing usable was left and nothing audited', async () => {
    await eachFault(3, async (s, apiKey, k, mode) => {
      s.faulty.armAt(k, mode);
      const res = await json(s, 'POST', '/api/v1/admin/api-keys', { org_slug: 'keys_co', scopes: ['read'] });
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      expect(await s.works(apiKey), label).toBe(true);
      if (res.status === 201) {
        expect(await s.works(((await res.json()) as { api_key: string }).api_key), label).toBe(true);
      } else {
        expect(res.status, label).toBe(503);
        expect(await s.audits('API_KEY_CREATE'), label).toBe(0);
      }
    });
  });

  it('revoking a key: audited only once the key is revoked', async () => {
    await eachFault(3, async (s, apiKey, k, mode) => {
      const { createHash } = await import('node:crypto');
      const hash = createHash('sha256').update(apiKey).digest('hex');
      s.faulty.armAt(k, mode);
      const res = await s.app.fetch(new Request(`http://fn/api/v1/admin/api-keys/${hash}`, { method: 'DELETE', headers: root }));
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      const revoked = !(await s.works(apiKey));
      if (res.status === 200) expect(revoked, label).toBe(true);
      else expect(res.status, label).toBe(503);
      expect(await s.audits('API_KEY_REVOKE'), label).toBeLessThanOrEqual(revoked ? 1 : 0);
    });
  });

  it('changing the plan: the audit row follows the change; a retry of the same change completes it', async () => {
    await eachFault(5, async (s, _key, k, mode) => {
      s.faulty.armAt(k, mode);
      const res = await json(s, 'PUT', '/api/v1/organizations/keys_co/subscription', { plan_name: 'SCALE', status: 'SUSPENDED' });
      s.faulty.heal();
      const label = `fault at call ${k} (${mode}): ${s.faulty.log.join(',')}`;
      const [sub] = await rowsOf(s.deps, 'org_subscriptions', 'keys_co');
      const [profile] = await rowsOf(s.deps, 'org_profiles', 'keys_co');
      const done = sub!.plan_name === 'SCALE' && profile!.status === 'SUSPENDED';
      if (res.status === 200) expect(done, label).toBe(true);
      else expect(res.status, label).toBe(503);
      expect(await s.audits('SUBSCRIPTION_UPDATE'), label).toBeLessThanOrEqual(done ? 1 : 0);
      expect((await json(s, 'PUT', '/api/v1/organizations/keys_co/subscription', { plan_name: 'SCALE', status: 'SUSPENDED' })).status, label).toBe(200);
      expect((await rowsOf(s.deps, 'org_profiles', 'keys_co'))[0]!.status, label).toBe('SUSPENDED');
    });
  });
});
