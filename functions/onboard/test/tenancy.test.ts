import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { routes as localeRoutes } from '../../locale/src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboardBody, rowsOf } from '../../../shared/test/support/orgs.js';

const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };

async function setup(mode: 'queued' | 'concurrent' = 'queued') {
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: mode === 'concurrent' }) });
  await bootstrap(deps);
  const app = buildFunctionApp('onboard', routes, deps);
  const locale = buildFunctionApp('locale', localeRoutes, deps);
  const post = (path: string, body: unknown) => app.fetch(new Request(`http://fn${path}`, { method: 'POST', headers: root, body: JSON.stringify(body) }));
  const onboard = (slug: string, extra: Record<string, unknown> = {}) => post('/api/v1/organizations/onboard', { ...onboardBody(slug), ...extra });
  const remove = (slug: string, deleteDataset = false) => app.fetch(new Request(`http://fn/api/v1/organizations/${slug}`, {
    method: 'DELETE', headers: root, body: JSON.stringify({ confirm_org_slug: slug, delete_dataset: deleteDataset }),
  }));
  const pricingRows = async (slug: string) => (await deps.warehouse.query({ sql: `SELECT model_id FROM ${deps.warehouse.table(`${slug}_prod`, 'llm_model_pricing')}` })).map((r) => r.model_id);
  const writeRow = (slug: string, model: string) => deps.warehouse.execute({
    sql: `INSERT INTO ${deps.warehouse.table(`${slug}_prod`, 'llm_model_pricing')} (pricing_id, provider, model_id, model_name, is_custom, input_price_per_1k, output_price_per_1k, effective_date, is_enabled, created_at, updated_at)
          VALUES (@id, 'OPENAI', @model, @model, FALSE, 0.01, 0.03, DATE '2026-01-01', TRUE, @now, @now)`,
    params: { id: `p-${model}`, model, now: deps.clock() },
  });
  return { deps, app, locale, post, onboard, remove, pricingRows, writeRow };
}

describe('a re-used slug never inherits the previous tenant\'s data', () => {
  it('refuses to attach a new org to a dataset holding an earlier org\'s rows, unless told to restore it or to drop it first', async () => {
    const s = await setup();
    expect((await s.onboard('reuse_co')).status).toBe(200);
    await s.writeRow('reuse_co', 'old-tenant-model');
    expect((await s.remove('reuse_co')).status).toBe(200); // dataset kept by default

    const refused = await s.onboard('reuse_co', { company_name: 'Another Company' });
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { message: string; details: Record<string, unknown> };
    expect(body.details).toMatchObject({ reason: 'dataset_has_data', dataset_id: 'reuse_co_prod', choices: ['delete_dataset', 'restore_dataset'] });
    expect(body.message).toMatch(/delete_dataset.*restore_dataset/);
    expect(await rowsOf(s.deps, 'org_profiles', 'reuse_co', "status IN ('ACTIVE', 'PENDING')")).toHaveLength(0);

    // The same company coming back, said so explicitly: its rows are there.
    const restored = await s.onboard('reuse_co', { restore_dataset: true });
    expect(restored.status).toBe(200);
    expect(await restored.json()).toMatchObject({ dataset_restored: true });
    expect(await s.pricingRows('reuse_co')).toEqual(['old-tenant-model']);

    // A different company: the old dataset is dropped first, then the new org starts empty.
    expect((await s.remove('reuse_co')).status).toBe(200);
    expect((await s.remove('reuse_co', true)).status).toBe(200); // already deleted: drops the kept dataset
    const fresh = await s.onboard('reuse_co', { company_name: 'Another Company' });
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({ dataset_restored: false, dataset_created: true });
    expect(await s.pricingRows('reuse_co')).toEqual([]);
  });

  it('an earlier life\'s keys stay dead and are not listed to the new org', async () => {
    const s = await setup();
    const first = (await (await s.onboard('life_co')).json()) as { api_key: string };
    expect((await s.remove('life_co', true)).status).toBe(200);
    const second = (await (await s.onboard('life_co')).json()) as { api_key: string };
    const get = (key: string) => s.app.fetch(new Request('http://fn/api/v1/organizations/life_co/api-key', { headers: { 'x-api-key': key } }));
    expect((await get(first.api_key)).status).toBe(401);
    const listed = (await (await get(second.api_key)).json()) as { keys: unknown[] };
    expect(listed.keys).toHaveLength(1);
  });
});

describe('org lifecycle apart from billing status', () => {
  it('a CANCELLED plan suspends the org but never frees its slug; only DELETE does', async () => {
    const s = await setup();
    const org = (await (await s.onboard('billing_co')).json()) as { api_key: string };
    const change = await s.app.fetch(new Request('http://fn/api/v1/organizations/billing_co/subscription', { method: 'PUT', headers: root, body: JSON.stringify({ status: 'CANCELLED' }) }));
    expect(change.status).toBe(200);
    expect(await change.json()).toMatchObject({ org_status: 'SUSPENDED', subscription: { status: 'CANCELLED' } });
    expect((await s.onboard('billing_co', { company_name: 'Squatter' })).status).toBe(409);
    const locale = await s.locale.fetch(new Request('http://fn/api/v1/organizations/billing_co/locale', { headers: { 'x-api-key': org.api_key } }));
    expect(locale.status).toBe(403);
    // Back to ACTIVE billing: the org is served again.
    await s.app.fetch(new Request('http://fn/api/v1/organizations/billing_co/subscription', { method: 'PUT', headers: root, body: JSON.stringify({ status: 'ACTIVE' }) }));
    expect((await s.locale.fetch(new Request('http://fn/api/v1/organizations/billing_co/locale', { headers: { 'x-api-key': org.api_key } }))).status).toBe(200);
  });
});

describe('one slug rule, end to end', () => {
  it('a slug starting with a digit onboards, authenticates and deletes', async () => {
    const s = await setup();
    const res = await s.onboard('3m_india');
    expect(res.status).toBe(200);
    const { api_key } = (await res.json()) as { api_key: string };
    expect((await s.locale.fetch(new Request('http://fn/api/v1/organizations/3m_india/locale', { headers: { 'x-api-key': api_key } }))).status).toBe(200);
    expect((await s.remove('3m_india', true)).status).toBe(200);
  });

  it.each(['_system', '_lead', 'organizations', 'admin', 'ab', 'Upper_case'])('%s is refused at the door with 422, and dry-run says why', async (slug) => {
    const s = await setup();
    const res = await s.onboard(slug);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'VALIDATION_ERROR', details: { fields: { 'body.org_slug': expect.any(Array) } } });
    const dry = (await (await s.post('/api/v1/organizations/dryrun', onboardBody(slug))).json()) as { validation_results: { check_name: string; status: string }[] };
    expect(dry.validation_results.find((c) => c.check_name === 'org_slug_format')?.status).toBe('FAILED');
  });
});

describe('locale changes under concurrency', () => {
  it('of two concurrent changes one applies and the other gets 409; nothing is silently lost', async () => {
    const s = await setup('concurrent');
    const { api_key } = (await (await s.onboard('tz_co')).json()) as { api_key: string };
    const put = (body: unknown) => s.locale.fetch(new Request('http://fn/api/v1/organizations/tz_co/locale', {
      method: 'PUT', headers: { 'x-api-key': api_key, 'content-type': 'application/json' }, body: JSON.stringify(body),
    }));
    const answers = await Promise.all([put({ default_currency: 'EUR' }), put({ default_timezone: 'Asia/Kolkata' })]);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409]);
    const [profile] = await rowsOf(s.deps, 'org_profiles', 'tz_co');
    const applied = (await answers.find((r) => r.status === 200)!.json()) as { default_currency: string; default_timezone: string };
    expect({ currency: profile!.default_currency, tz: profile!.default_timezone }).toEqual({ currency: applied.default_currency, tz: applied.default_timezone });
    const audit = await rowsOf(s.deps, 'org_audit_logs', 'tz_co', "action = 'LOCALE_UPDATE'");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_type: 'org', api_key_id: expect.any(String) });
  });
});
