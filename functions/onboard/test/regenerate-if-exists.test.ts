import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { hashOrgApiKey } from '@cloudact/shared/orgs/keys/format';
import { listKeys } from '@cloudact/shared/orgs/keys/list';
import { CachedKeyVerifier } from '@cloudact/shared/orgs/keys/verifier';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboardBody, rowsOf, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * POST /organizations/onboard with `regenerate_api_key_if_exists` (the web app's retry after the
 * 409 "already exists with status 'ACTIVE'"): a live ACTIVE org gets its keys regenerated as the
 * admin regenerate route does, answered in the onboarding shape; a new slug onboards as usual.
 */
const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

async function setup(concurrentDml = false) {
  const time = settableClock();
  const warehouse = await DuckDbWarehouse.open(':memory:', { concurrentDml });
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse, clock: time.clock });
  await bootstrap(deps);
  const app = buildFunctionApp('onboard', routes, deps);
  let n = 0;
  const onboard = async (slug: string, extra: Record<string, unknown> = {}) => {
    const id = `onb-${++n}`;
    const res = await app.fetch(new Request('http://fn/api/v1/organizations/onboard', { method: 'POST', headers: { ...root, 'x-request-id': id }, body: JSON.stringify({ ...onboardBody(slug), ...extra }) }));
    return { status: res.status, body: (await res.json()) as Record<string, any>, line: deps.logger.lines.find((l) => l.client_request_id === id) };
  };
  // The warehouse's truth, no cache in the way.
  const works = async (key: string) => ['ACTIVE', 'TRIAL'].includes((await new CachedKeyVerifier(warehouse, time.clock, { ttlMs: 0, negativeTtlMs: 0 }).verify(key))?.orgStatus ?? 'none');
  const usable = async (slug: string) => (await listKeys(deps, { orgSlug: slug })).filter((k) => k.is_active).length;
  return { deps, app, time, onboard, works, usable };
}

describe('onboarding a live slug again', () => {
  it('without the flag: 409 whose message says "already exists with status \'ACTIVE\'", details unchanged, nothing written', async () => {
    const s = await setup();
    const first = await s.onboard('again_co');
    expect(first.status).toBe(200);
    const again = await s.onboard('again_co');
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain("already exists with status 'ACTIVE'");
    expect(again.body.message).toBe(again.body.detail);
    expect(again.body.details).toEqual({ reason: 'slug_taken', org_status: 'ACTIVE' });
    expect(await s.works(first.body.api_key)).toBe(true);
    expect(await rowsOf(s.deps, 'org_api_keys', 'again_co')).toHaveLength(1);
  });

  it('with regenerate_api_key_if_exists: 200 in the onboarding shape with a new working key, the old one dead, audited once', async () => {
    const s = await setup();
    const first = await s.onboard('regen_co', { default_currency: 'INR', default_timezone: 'Asia/Kolkata', subscription_plan: 'PROFESSIONAL' });
    // The retry sends the web app's defaults, not what the org was onboarded with: the answer tells the org's own.
    const retry = await s.onboard('regen_co', { subscription_plan: 'STARTER', default_currency: 'USD', default_timezone: 'UTC', regenerate_api_key_if_exists: true });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.body).toMatchObject({
      status: 'SUCCESS', org_slug: 'regen_co', org_status: 'ACTIVE', api_key_regenerated: true,
      subscription_plan: 'PROFESSIONAL', default_currency: 'INR', default_country: 'IN', default_timezone: 'Asia/Kolkata', currency_symbol: '₹',
      created_at: first.body.created_at, dataset_id: 'regen_co_prod', dataset_created: false, dataset_restored: false, tables_created: [], tables_existed: [],
      subscription: { subscription_id: first.body.subscription.subscription_id, plan_name: 'PROFESSIONAL', status: 'ACTIVE', daily_limit: first.body.subscription.daily_limit },
    });
    expect(retry.body.api_key).toMatch(/^sk_regen_co_/);
    expect(retry.body.org_api_key_hash).toBe(hashOrgApiKey(retry.body.api_key));
    expect(retry.body.api_key_fingerprint).toBe(`${retry.body.api_key.slice(0, -32)}...${retry.body.api_key.slice(-4)}`);
    expect(await s.works(retry.body.api_key)).toBe(true);
    expect(await s.works(first.body.api_key)).toBe(false);
    expect(await s.usable('regen_co')).toBe(1);
    expect(await rowsOf(s.deps, 'org_audit_logs', 'regen_co', "action = 'API_KEY_REGENERATE'")).toHaveLength(1);
    expect(await rowsOf(s.deps, 'org_profiles', 'regen_co')).toHaveLength(1);
    // The failed claim (MERGE, read back, holder read), then regeneration (profile read | key insert | plan read; epoch move; revoke | audit);
    // 7 as metered here: a call that starts after another one ended counts one step later (warehouse/metering.ts).
    expect(retry.line?.warehouse_depth).toBeLessThanOrEqual(7);
  });

  it('the flag on a new slug is a plain onboarding', async () => {
    const s = await setup();
    const res = await s.onboard('fresh_co', { regenerate_api_key_if_exists: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ org_slug: 'fresh_co', dataset_created: true, api_key_regenerated: false });
    expect(res.body.tables_created.length).toBeGreaterThan(0);
    expect(res.body.org_api_key_hash).toBe(hashOrgApiKey(res.body.api_key));
    expect(await rowsOf(s.deps, 'org_audit_logs', 'fresh_co', "action = 'API_KEY_REGENERATE'")).toHaveLength(0);
  });

  it('the flag on a SUSPENDED org is still 409, naming that status', async () => {
    const s = await setup();
    const first = await s.onboard('paused_co');
    const put = await s.app.fetch(new Request('http://fn/api/v1/organizations/paused_co/subscription', { method: 'PUT', headers: root, body: JSON.stringify({ status: 'SUSPENDED' }) }));
    expect(put.status).toBe(200);
    const res = await s.onboard('paused_co', { regenerate_api_key_if_exists: true });
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain("already exists with status 'SUSPENDED'");
    expect(await rowsOf(s.deps, 'org_audit_logs', 'paused_co', "action = 'API_KEY_REGENERATE'")).toHaveLength(0);
    expect((await listKeys(s.deps, { orgSlug: 'paused_co' })).map((k) => k.org_api_key_id)).toEqual([first.body.api_key_id]);
  });

  it('10 concurrent retries with the flag (mutating DML overlapping as on BigQuery): one 200, nine 409, exactly one working key', async () => {
    const s = await setup(true);
    const first = await s.onboard('race_regen_co');
    expect(first.status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 10 }, () => s.onboard('race_regen_co', { regenerate_api_key_if_exists: true })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    const winner = answers.find((a) => a.status === 200)!.body;
    for (const loser of answers.filter((a) => a.status === 409)) expect(loser.body.details).toMatchObject({ reason: 'concurrent_regeneration' });
    expect(await s.works(winner.api_key)).toBe(true);
    expect(await s.works(first.body.api_key)).toBe(false);
    expect(await s.usable('race_regen_co')).toBe(1);
    expect(await rowsOf(s.deps, 'org_audit_logs', 'race_regen_co', "action = 'API_KEY_REGENERATE'")).toHaveLength(1);
  });
});
