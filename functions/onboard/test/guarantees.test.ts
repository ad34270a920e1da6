import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse, type DuckDbOptions } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { routes as localeRoutes } from '../../locale/src/routes.js';
import { CLAIM_LOCK_SLUG } from '@cloudact/shared/orgs/profiles/claim';
import { listKeys } from '@cloudact/shared/orgs/keys/list';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { bootstrap, onboardBody, rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

/**
 * Race tests pass `{ concurrentDml: true }`: mutating DML then runs at once and conflicts as on
 * BigQuery, instead of being queued per table (which would let an unsound claim pass).
 */
async function setup(warehouse: DuckDbOptions = {}) {
  const time = settableClock();
  const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:', warehouse));
  const deps = await testDeps({}, { warehouse: faulty, clock: time.clock });
  await bootstrap(deps);
  const app = buildFunctionApp('onboard', routes, deps);
  const onboard = (slug: string, requestId = `req-${slug}`) =>
    app.fetch(new Request('http://fn/api/v1/organizations/onboard', { method: 'POST', headers: { ...root, 'x-request-id': requestId }, body: JSON.stringify(onboardBody(slug)) }));
  return { deps, app, faulty, time, onboard };
}

/** What a finished org must look like: one of everything, one working key, its dataset. */
async function expectCompleteOrg(s: Awaited<ReturnType<typeof setup>>, slug: string, apiKey: string) {
  const { deps } = s;
  const profiles = await rowsOf(deps, 'org_profiles', slug);
  expect(profiles.map((p) => p.status)).toEqual(['ACTIVE']);
  expect(await rowsOf(deps, 'org_subscriptions', slug)).toHaveLength(1);
  // One working key: rows of dead attempts may remain, but never valid (see keys/store.ts).
  const usable = (await listKeys(deps, { orgSlug: slug })).filter((k) => k.is_active);
  expect(usable).toHaveLength(1);
  expect(await deps.orgKeys.verify(apiKey)).toMatchObject({ orgSlug: slug, orgStatus: 'ACTIVE' });
  expect((await deps.warehouse.describeDataset(`${slug}_prod`)).size).toBe(9);
}

describe('concurrent onboarding of one slug', () => {
  it('ten at once: exactly one succeeds, nine get 409, and no table holds a duplicate', async () => {
    const s = await setup({ concurrentDml: true });
    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => s.onboard('race_co', `race-${i}`)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    const conflicts = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json() as Promise<{ error: string; message: string }>));
    for (const c of conflicts) expect(c).toMatchObject({ error: 'CONFLICT', message: expect.stringMatching(/race_co/) });
    const winner = (await responses.find((r) => r.status === 200)!.json()) as { api_key: string };
    await expectCompleteOrg(s, 'race_co', winner.api_key);
    expect(await rowsOf(s.deps, 'org_api_keys', 'race_co')).toHaveLength(1);
    expect(await rowsOf(s.deps, 'org_audit_logs', 'race_co', "action = 'ONBOARD' AND status = 'SUCCESS'")).toHaveLength(1);
  });

  it('different slugs onboard in parallel without blocking each other', async () => {
    const s = await setup({ concurrentDml: true });
    const responses = await Promise.all(['par_a', 'par_b', 'par_c', 'par_d'].map((slug) => s.onboard(slug)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });
});

describe('round-trips on the critical path', () => {
  it('onboarding takes at most 5 sequential warehouse round-trips', async () => {
    const s = await setup();
    expect((await s.onboard('trips_co', 'trips-1')).status).toBe(200);
    const line = s.deps.logger.lines.find((l) => l.client_request_id === 'trips-1')!;
    expect(line.warehouse_depth).toBeLessThanOrEqual(5);
    expect(line.warehouse_depth).toBe(5);
    expect(line.warehouse_calls).toBe(17); // 9 org tables created in parallel (the two GenAI price tables of issue 21)
  });

  it('a warm authenticated request spends no round-trip on auth', async () => {
    const s = await setup();
    const { api_key } = (await (await s.onboard('warm_co')).json()) as { api_key: string };
    const locale = buildFunctionApp('locale', localeRoutes, s.deps);
    const get = (id: string) => locale.fetch(new Request('http://fn/api/v1/organizations/warm_co/locale', { headers: { 'x-api-key': api_key, 'x-request-id': id } }));
    expect((await get('cold')).status).toBe(200);
    expect((await get('warm')).status).toBe(200);
    const calls = (id: string) => s.deps.logger.lines.find((l) => l.client_request_id === id)!.warehouse_calls;
    expect(calls('cold')).toBe(2); // key lookup + profile read
    expect(calls('warm')).toBe(0); // key and profile both cached on this instance
  });
});

/** Warehouse calls of one successful onboarding, in order: claim | describe dataset, claim check; 3 in parallel; 9 tables; settle, audit. */
const STEPS = 17;
const SETTLE = 16;
const FINAL_AUDIT = 17;

/**
 * Which outcome each fault must give. Before the org is settled ACTIVE, the attempt is undone
 * (503) and the same request then completes. If the settle write landed and only its answer was
 * lost, or only the final audit row failed, the org is complete and the request succeeds.
 */
function expected(k: number, mode: 'before' | 'after'): 'undone' | 'completed' {
  return k === FINAL_AUDIT || (k === SETTLE && mode === 'after') ? 'completed' : 'undone';
}

describe('a warehouse fault after each step in turn', () => {
  for (const mode of ['before', 'after'] as const) {
    it(`(${mode} the call) never leaves a half-made org blocking the slug`, async () => {
      const s = await setup();
      for (let k = 1; k <= STEPS; k++) {
        const slug = `fault_${mode}_${k}`;
        s.faulty.armAt(k, mode);
        const first = await s.onboard(slug);
        s.faulty.heal();
        expect(s.faulty.calls, 'the fault fired').toBeGreaterThanOrEqual(k);
        if (expected(k, mode) === 'completed') {
          expect(first.status, `fault at call ${k}`).toBe(200);
          await expectCompleteOrg(s, slug, ((await first.json()) as { api_key: string }).api_key);
          continue;
        }
        expect(first.status, `fault at call ${k}`).toBe(503);
        expect(await first.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE' });
        // Undone: no live or pending org, no key, no subscription left by the failed attempt.
        expect((await rowsOf(s.deps, 'org_profiles', slug, "status IN ('ACTIVE', 'PENDING')")).length, `claim left at ${k}`).toBe(0);
        expect(await rowsOf(s.deps, 'org_api_keys', slug), `key left at ${k}`).toHaveLength(0);
        expect(await rowsOf(s.deps, 'org_subscriptions', slug), `subscription left at ${k}`).toHaveLength(0);

        const retry = await s.onboard(slug);
        expect(retry.status, `retry after fault at call ${k}`).toBe(200);
        await expectCompleteOrg(s, slug, ((await retry.json()) as { api_key: string }).api_key);
      }
    });
  }

  it('the rollback waits for sibling writes still in flight (a slow key insert beside a failing write is still undone)', async () => {
    const s = await setup();
    // Calls 4-6 run in parallel: dataset, subscription MERGE (5), key INSERT (6).
    s.faulty.armAt(5, 'before');
    s.faulty.slow(6, 50);
    expect(s.faulty.calls).toBe(0);
    const failed = await s.onboard('slow_sibling_co');
    s.faulty.heal();
    expect(failed.status).toBe(503);
    expect(s.faulty.log.slice(3, 6)).toEqual(['createDataset', 'execute', 'execute']);
    // The dataset this attempt created went too, although its sibling failed.
    expect((await s.deps.warehouse.describeDataset('slow_sibling_co_prod')).size).toBe(0);
    // Look only after the slow insert would have landed, had the rollback not waited for it.
    await new Promise((r) => setTimeout(r, 100));
    expect(await rowsOf(s.deps, 'org_api_keys', 'slow_sibling_co')).toHaveLength(0);
    expect((await s.onboard('slow_sibling_co')).status).toBe(200);
  });

  it('when the warehouse stays down, the rollback cannot run: the claim holds the slug until its lease ends, then a retry completes', async () => {
    const s = await setup();
    for (const k of [1, 2, 3, 7, 12]) {
      const slug = `outage_${k}`;
      s.faulty.armAt(k, 'after', true);
      expect((await s.onboard(slug)).status).toBe(503);
      s.faulty.heal();
      const early = await s.onboard(slug);
      expect(early.status).toBe(409);
      const body = (await early.json()) as { message: string; details: { retry_after_seconds: number } };
      expect(body.message).toMatch(/in progress/);
      expect(body.details.retry_after_seconds).toBeGreaterThan(0);

      s.time.advance(body.details.retry_after_seconds * 1000 + 1000);
      const retry = await s.onboard(slug);
      expect(retry.status).toBe(200);
      // The dead attempt's key, if it got written, was retired by the attempt that completed.
      await expectCompleteOrg(s, slug, ((await retry.json()) as { api_key: string }).api_key);
    }
  });

  it('if the outage starts right after the settle write landed, the org is complete but its key never reached the client: an admin regenerates it', async () => {
    const s = await setup();
    s.faulty.armAt(SETTLE, 'after', true);
    expect((await s.onboard('lost_key_co')).status).toBe(503);
    s.faulty.heal();
    const again = await s.onboard('lost_key_co');
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ message: expect.stringMatching(/already exists/) });
    const regen = await s.app.fetch(new Request('http://fn/api/v1/admin/organizations/lost_key_co/regenerate-api-key', { method: 'POST', headers: root }));
    expect(regen.status).toBe(200);
    await expectCompleteOrg(s, 'lost_key_co', ((await regen.json()) as { api_key: string }).api_key);
  });
});

describe('the claim lock (why concurrent claims are serialised on BigQuery too)', () => {
  const lockStamp = async (s: Awaited<ReturnType<typeof setup>>) =>
    (await rowsOf(s.deps, 'org_profiles', CLAIM_LOCK_SLUG))[0]?.updated_at;

  it('every claim, won or lost, really updates the shared lock row', async () => {
    const s = await setup();
    s.time.advance(1000);
    expect((await s.onboard('lock_co')).status).toBe(200);
    expect(await lockStamp(s)).toBe(s.time.clock().toISOString());
    s.time.advance(1000);
    expect((await s.onboard('lock_co')).status).toBe(409);
    expect(await lockStamp(s)).toBe(s.time.clock().toISOString());
  });

  it('without the lock row, onboarding refuses with a 503 that says what to do, and leaves nothing behind', async () => {
    const s = await setup();
    await s.deps.warehouse.execute({ sql: `DELETE FROM ${s.deps.warehouse.table('organizations', 'org_profiles')} WHERE org_slug = @l`, params: { l: CLAIM_LOCK_SLUG } });
    const res = await s.onboard('nolock_co');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/bootstrap/) });
    expect(await rowsOf(s.deps, 'org_profiles', 'nolock_co', "status IN ('ACTIVE', 'PENDING')")).toHaveLength(0);
    await bootstrap(s.deps);
    expect((await s.onboard('nolock_co')).status).toBe(200);
  });
});
