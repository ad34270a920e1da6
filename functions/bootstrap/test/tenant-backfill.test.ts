import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralSpec } from '@cloudact/shared/orgs/tables';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { routes as integrationRoutes } from '../../integrations/src/routes.js';
import { startProviderStandIns, type ProviderStandIns } from '../../integrations/test/support/providers.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';

/**
 * Orgs onboarded before central rows named their tenant: their rows carry no org_id, and every
 * read filters on it. Bootstrap with sync_schema gives each such row the tenant of the life it
 * was written in, and only that; a credential encrypted under the old binding still decrypts.
 */
const KEY = 'sk-proj-legacyopenai0000000001';
let providers: ProviderStandIns;
let deps: Awaited<ReturnType<typeof testDeps>>;
let apiKey: string;
let orgCreated: Date;

const sync = () => bootstrapCentral({ ...deps, environment: 'development', tables: centralTables(), actor: { kind: 'system', name: 'test' }, requestId: 'sync' }, { sync_schema: true });
const integrations = () => buildFunctionApp('integrations', integrationRoutes, deps);
const get = async (path: string) => (await integrations().fetch(new Request(`http://fn/api/v1/integrations/legacy_co${path}`, { headers: { 'x-api-key': apiKey } }))).json() as Promise<Record<string, unknown>>;

beforeAll(async () => {
  providers = await startProviderStandIns();
  providers.accepted.add(KEY);
  deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' });
  await bootstrap(deps);
  apiKey = (await onboard(deps, 'legacy_co')).api_key;
  orgCreated = new Date((await deps.profiles.get('legacy_co')).created_at);
  const spec = centralSpec('org_integration_credentials');
  const row = (id: string, createdAt: Date, encrypted: Uint8Array) => ({
    credential_id: id, org_slug: 'legacy_co', provider: 'OPENAI', credential_name: id, encrypted_credential: encrypted, credential_type: 'API_KEY',
    fingerprint: 'sk-...0001', validation_status: 'VALID', is_active: true, created_at: createdAt, updated_at: createdAt,
  });
  // As the code before the tenant column wrote them: no org_id, bound to slug and provider only.
  const legacy = await deps.encryptor.encrypt(KEY, 'org:legacy_co:integration:OPENAI');
  await insertRows(deps.warehouse, 'organizations', spec, [
    row('this-life', new Date(orgCreated.getTime() + 60_000), legacy),
    row('earlier-life', new Date(orgCreated.getTime() - 86_400_000), legacy),
  ]);
});
afterAll(() => providers?.close());

describe('bootstrap with sync_schema backfills the tenant', () => {
  it('before it, the org does not see its own legacy credential', async () => {
    expect(((await get('')).providers_configured as string[])).toEqual([]);
  });

  it('gives rows of the current life the org\'s tenant and leaves an earlier life\'s alone; a second run changes nothing', async () => {
    const first = await sync();
    expect(first.tenants_backfilled).toContainEqual({ table: 'org_integration_credentials', rows: 1 });
    const rows = await deps.warehouse.query({
      sql: `SELECT credential_id, org_id FROM ${deps.warehouse.table('organizations', 'org_integration_credentials')} WHERE org_slug = 'legacy_co' ORDER BY credential_id`,
    });
    const orgId = (await deps.profiles.get('legacy_co')).org_id;
    expect(rows).toEqual([{ credential_id: 'earlier-life', org_id: null }, { credential_id: 'this-life', org_id: orgId }]);
    expect((await sync()).tenants_backfilled).toEqual([]);
  });

  it('after it, the credential is listed and still decrypts for the provider check', async () => {
    expect(((await get('')).providers_configured as string[])).toEqual(['OPENAI']);
    const res = await integrations().fetch(new Request('http://fn/api/v1/integrations/legacy_co/openai/validate', { method: 'POST', headers: { 'x-api-key': apiKey } }));
    expect(await res.json()).toMatchObject({ validation_status: 'VALID', credential_id: 'this-life' });
  });
});
