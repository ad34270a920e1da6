import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { insertRows, type InsertRow } from '@cloudact/shared/warehouse/dml';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import type { TableSpec } from '@cloudact/shared/warehouse/port';
import { functionTables } from '../scripts/function-tables.js';
import { testDeps, TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { bootstrap, onboardBody } from '../shared/test/support/orgs.js';
import { startProviderStandIns, type ProviderStandIns } from '../functions/integrations/test/support/providers.js';
import { allRoutes, concretePath, routeKey } from './support/route-tables.js';

/**
 * A re-used slug is a new tenant in every central table, not only in its dataset.
 *
 * The tables are read from the schema files: every central table with an `org_slug` column must
 * carry `org_id` (the tenant), and the old tenant gets a row in each, written with a marker in
 * every text column (after the deletion, so only the reads' tenant filter can hide it). The routes are read from the route tables: after the slug is deleted and
 * onboarded by another company, every GET of every function under that slug is called and none
 * may show the marker or anything else of the old tenant. A new table or route is covered here
 * without editing this file.
 */
const SLUG = 'reuse_co';
const MARKER = 'OLD-TENANT-MARKER-7f3a';
const OPENAI = 'sk-proj-oldtenantopenai00000001';
const ANTHROPIC = 'sk-ant-api03-newtenantanthropic01';

/** Tables keyed by slug, from the schema files. org_profiles is the slug's own row (its claim id is the org_id). */
const slugTables = (): TableSpec[] => centralTables().tables.filter((t) => t.fields.some((f) => f.name === 'org_slug') && t.name !== 'org_profiles');

/** Values that make a marker row one that reads would pick up, were they not filtered by tenant. */
const VISIBLE: Record<string, unknown> = {
  provider: 'OPENAI', validation_status: 'VALID', status: 'ACTIVE', credential_type: 'API_KEY', is_active: true, state: 'DONE',
};

function markerRow(spec: TableSpec, orgId: string, now: Date): InsertRow {
  const row: InsertRow = {};
  for (const f of spec.fields) {
    const repeated = f.mode === 'REPEATED';
    const v = f.name === 'org_slug' ? SLUG : f.name === 'org_id' ? orgId : f.name in VISIBLE ? VISIBLE[f.name] : valueOf(f.type, now);
    if (v === undefined) continue;
    row[f.name] = (repeated ? [v] : v) as InsertRow[string];
  }
  return row;
}

function valueOf(type: string, now: Date): unknown {
  switch (type) {
    case 'STRING': return MARKER;
    case 'INTEGER': case 'INT64': return 7;
    case 'NUMERIC': case 'BIGNUMERIC': return '7';
    case 'FLOAT': case 'FLOAT64': return 7;
    case 'BOOLEAN': case 'BOOL': return true;
    case 'TIMESTAMP': case 'DATETIME': return now;
    case 'DATE': return now.toISOString().slice(0, 10);
    case 'JSON': return JSON.stringify({ marker: MARKER });
    case 'BYTES': return Buffer.from(MARKER);
    default: return undefined; // RECORD: left NULL
  }
}

let providers: ProviderStandIns;
let deps: Awaited<ReturnType<typeof testDeps>>;
let apps: Map<string, ReturnType<typeof buildFunctionApp>>;
let oldKey: string;
let oldOrgId: string;
let newKey: string;
let newOrgId: string;

const root = { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' };
const org = (key: string) => ({ 'x-api-key': key, 'content-type': 'application/json' });

/** The function that serves a request: the one whose route table has a route of that method and path. */
function appFor(method: string, path: string): ReturnType<typeof buildFunctionApp> {
  const bare = path.split('?')[0]!;
  const owner = allRoutes.find(({ route }) => route.method === method && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
  if (!owner) throw new Error(`no function serves ${method} ${path}`);
  return apps.get(owner.fn)!;
}
const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  appFor(method, path).fetch(new Request(`http://fn${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));

async function onboardAs(company: string, plan: string): Promise<{ key: string; orgId: string }> {
  const res = await call('POST', '/api/v1/organizations/onboard', root, { ...onboardBody(SLUG), company_name: company, subscription_plan: plan });
  expect(res.status, await res.clone().text()).toBe(200);
  const key = ((await res.json()) as { api_key: string }).api_key;
  return { key, orgId: (await deps.profiles.get(SLUG)).org_id };
}

beforeAll(async () => {
  providers = await startProviderStandIns();
  providers.accepted.add(OPENAI);
  providers.accepted.add(ANTHROPIC);
  deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' });
  await bootstrap(deps);
  apps = new Map(functionTables.map((t) => [t.name, buildFunctionApp(t.name, t.routes, deps)]));

  // The old tenant: a real credential, usage, audit rows, an idempotent request, and a marker
  // row in every central table keyed by slug.
  ({ key: oldKey, orgId: oldOrgId } = await onboardAs('Old Company', 'SCALE'));
  expect((await call('POST', `/api/v1/integrations/${SLUG}/openai/setup`, org(oldKey), { credential: OPENAI, credential_name: MARKER })).status).toBe(200);
  // A cost view the old tenant computed, so this instance's result cache holds it.
  await seedCosts(deps, { orgSlug: SLUG, days: 3, rowsPerDay: 20 });
  const oldSummary = (await (await call('GET', `/api/v1/costs/${SLUG}/summary`, org(oldKey))).json()) as { summary: { total_cost: number } };
  expect(oldSummary.summary.total_cost).toBeGreaterThan(0);
  const idem = await call('PUT', `/api/v1/organizations/${SLUG}/locale`, { ...org(oldKey), 'idempotency-key': 'tenancy-1' }, { default_currency: 'EUR' });
  expect(idem.status).toBe(200);

  // An unrelated company takes the slug after the old one is deleted with its dataset.
  const removed = await call('DELETE', `/api/v1/organizations/${SLUG}`, root, { confirm_org_slug: SLUG, delete_dataset: true });
  expect(removed.status).toBe(200);
  // Written after the deletion, so that no clean-up of the deletion hides them: only the reads'
  // tenant filter can (a deletion's follow-ups may fail, and pipelines write these tables too).
  const now = deps.clock();
  for (const spec of slugTables()) await insertRows(deps.warehouse, 'organizations', spec, [markerRow(spec, oldOrgId, now)]);
  deps.profiles.forgetAll();
  ({ key: newKey, orgId: newOrgId } = await onboardAs('New Company', 'FREE'));
});
afterAll(() => providers?.close());

describe('a re-used slug is a new tenant in every central table', () => {
  it('every central table keyed by slug carries the tenant (org_id), from the schema files', () => {
    const tables = slugTables();
    expect(tables.length).toBeGreaterThan(10);
    for (const t of tables) expect(t.fields.map((f) => f.name), t.name).toContain('org_id');
    expect(newOrgId).not.toBe(oldOrgId);
  });

  it('the old credential is gone for the new tenant: not listed, not validated with the provider, not counted against its plan', async () => {
    const list = await call('GET', `/api/v1/integrations/${SLUG}`, org(newKey));
    const body = (await list.json()) as { integrations: Record<string, { status: string }>; providers_configured: string[] };
    expect(body.providers_configured).toEqual([]);
    expect(body.integrations.OPENAI!.status).toBe('NOT_CONFIGURED');

    const hitsBefore = providers.hits.length;
    const validate = await call('POST', `/api/v1/integrations/${SLUG}/openai/validate`, org(newKey));
    expect(await validate.json()).toMatchObject({ validation_status: 'NOT_CONFIGURED' });
    expect(providers.hits.length).toBe(hitsBefore); // the old key was never sent to the provider

    // FREE allows one provider: the old tenant's OpenAI does not take it.
    const setup = await call('POST', `/api/v1/integrations/${SLUG}/claude/setup`, org(newKey), { credential: ANTHROPIC });
    expect(setup.status, await setup.clone().text()).toBe(200);
  });

  it('deleting the org deactivated its credentials', async () => {
    const rows = await deps.warehouse.query({
      sql: `SELECT credential_id FROM ${deps.warehouse.table('organizations', 'org_integration_credentials')} WHERE org_slug = @org AND org_id = @old AND is_active AND credential_id != @marker`,
      params: { org: SLUG, old: oldOrgId, marker: MARKER },
    });
    expect(rows).toEqual([]);
  });

  it('the old credential\'s ciphertext does not decrypt for the new tenant', async () => {
    const [row] = await deps.warehouse.query({
      sql: `SELECT encrypted_credential FROM ${deps.warehouse.table('organizations', 'org_integration_credentials')} WHERE org_slug = @org AND org_id = @old AND provider = 'OPENAI' AND credential_type = 'API_KEY' AND fingerprint != @marker`,
      params: { org: SLUG, old: oldOrgId, marker: MARKER },
    });
    await expect(deps.encryptor.decrypt(row!.encrypted_credential as Buffer, `org:${SLUG}:${oldOrgId}:integration:OPENAI`)).resolves.toBeDefined();
    await expect(deps.encryptor.decrypt(row!.encrypted_credential as Buffer, `org:${SLUG}:${newOrgId}:integration:OPENAI`)).rejects.toThrow();
  });

  it('today\'s and this month\'s usage start at zero', async () => {
    const quota = (await (await call('GET', `/api/v1/organizations/${SLUG}/quota`, org(newKey))).json()) as { daily: { used: number }; monthly: { used: number }; concurrent: { running: number } };
    expect(quota.daily.used).toBe(0);
    expect(quota.monthly.used).toBe(0);
    expect(quota.concurrent.running).toBe(0);
  });

  it('the audit log shows only the new tenant\'s life', async () => {
    const res = await call('GET', `/api/v1/admin/audit-logs/${SLUG}?limit=100`, root);
    const body = (await res.json()) as { logs: { action: string; details: unknown }[] };
    expect(body.logs.map((l) => l.action)).toContain('ONBOARD');
    expect(body.logs.filter((l) => l.action === 'ONBOARD')).toHaveLength(1);
    expect(body.logs.some((l) => l.action === 'ORG_DELETE' || l.action === 'LOCALE_UPDATE')).toBe(false);
    expect(JSON.stringify(body)).not.toContain(MARKER);
  });

  it('an Idempotency-Key the old tenant used runs afresh for the new one', async () => {
    const res = await call('PUT', `/api/v1/organizations/${SLUG}/locale`, { ...org(newKey), 'idempotency-key': 'tenancy-1' }, { default_currency: 'EUR' });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('idempotent-replayed')).toBeNull();
  });

  it('a cost view the old tenant computed on this instance is not the new tenant\'s answer', async () => {
    const res = await call('GET', `/api/v1/costs/${SLUG}/summary`, org(newKey));
    const body = (await res.json()) as { cache_hit: boolean; summary: { total_cost: number } };
    expect(body.cache_hit).toBe(false);
    expect(body.summary.total_cost).toBe(0);
  });

  it('no GET of any function under the slug shows anything of the old tenant', async () => {
    const values: Record<string, string> = { provider: 'openai' };
    const gets = allRoutes.filter(({ route }) => route.method === 'GET' && route.path.includes('{org_slug}') && route.auth !== 'public');
    expect(gets.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const { route } of gets) {
      const res = await call('GET', concretePath(route, SLUG, values), route.auth === 'root' ? root : org(newKey));
      const text = await res.text();
      if (res.status >= 500) leaks.push(`${routeKey(route)}: ${res.status}`);
      for (const old of [MARKER, oldOrgId, 'Old Company', `${OPENAI.slice(0, 3)}...${OPENAI.slice(-4)}`]) if (text.includes(old)) leaks.push(`${routeKey(route)} shows ${old}`);
    }
    expect(leaks).toEqual([]);
  });
});
