import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';
import { startProviderStandIns, type ProviderStandIns } from './support/providers.js';
import { routes as hierarchyRoutes } from '../../hierarchy/src/routes.js';

/**
 * The integrations calls of the CloudAct web app, with the bodies its pages send (both ages of
 * it), and the fields it reads with their JS types.
 */
const OPENAI = 'sk-proj-webappopenai00000000001';
let providers: ProviderStandIns;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;

beforeAll(async () => {
  providers = await startProviderStandIns();
  providers.accepted.add(OPENAI);
  const deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' });
  await bootstrap(deps);
  key = (await onboard(deps, 'webapp_int', { subscription_plan: 'SCALE' })).api_key;
  app = buildFunctionApp('integrations', routes, deps);
  // The entities the setup form's picker offers: a default allocation must name one (credentials/hierarchy.ts).
  const h = buildFunctionApp('hierarchy', hierarchyRoutes, deps);
  for (const e of [
    { entity_id: 'DEPT-CIO', entity_name: 'CIO', level_code: 'c_suite' }, { entity_id: 'PROJ-CTO', entity_name: 'CTO', level_code: 'business_unit', parent_id: 'DEPT-CIO' },
    { entity_id: 'TEAM-DATA', entity_name: 'Data', level_code: 'function', parent_id: 'PROJ-CTO' }, { entity_id: 'TEAM-OPS', entity_name: 'Ops', level_code: 'function', parent_id: 'PROJ-CTO' },
  ]) {
    const res = await h.fetch(new Request('http://fn/api/v1/hierarchy/webapp_int/entities', { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(e) }));
    expect(res.status, await res.clone().text()).toBe(201);
  }
});
afterAll(() => providers.close());

const call = async (method: string, path: string, body?: unknown) => {
  const res = await app.fetch(new Request(`http://fn/api/v1/integrations/webapp_int${path}`, {
    method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const hierarchy = {
  default_x_hierarchy_entity_id: 'TEAM-DATA',
  default_x_hierarchy_entity_name: 'Data',
  default_x_hierarchy_level_code: 'function',
  default_x_hierarchy_path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA',
  default_x_hierarchy_path_names: ['CIO', 'CTO', 'Data'],
};

describe('the web app\'s integration calls', () => {
  it('setup as the later setup form sends it (skip_validation false, default allocation) is checked and stored', async () => {
    const res = await call('POST', '/openai/setup', { credential: OPENAI, credential_name: 'Prod key', skip_validation: false, ...hierarchy });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ success: true, validation_status: 'VALID' });
  });

  it('the status list carries status and validation_status (the later name), and the default allocation', async () => {
    const res = await call('GET', '');
    const openai = (res.body.integrations as Record<string, Record<string, unknown>>).OPENAI!;
    expect(typeof openai.status).toBe('string');
    expect(openai.validation_status).toBe(openai.status);
    expect(openai).toMatchObject(hierarchy);
    const one = await call('GET', '/openai');
    expect(one.body).toMatchObject({ status: 'VALID', validation_status: 'VALID', default_x_hierarchy_entity_id: 'TEAM-DATA' });
  });

  it('the GCP billing-export form\'s metadata PUT with skip_validation: true is accepted and means what it says', async () => {
    const hits = providers.hits.length;
    const res = await call('PUT', '/openai', { metadata: { billing_export_table: 'proj.ds.gcp_billing_export_v1' }, skip_validation: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ metadata: { billing_export_table: 'proj.ds.gcp_billing_export_v1' }, validation_status: 'VALID' });
    expect(providers.hits.length).toBe(hits);
  });

  it('a PUT moves the default allocation in place, to the entity as the tree has it; an unknown entity is 422 naming it', async () => {
    const res = await call('PUT', '/openai', { default_x_hierarchy_entity_id: 'TEAM-OPS', default_x_hierarchy_path: '/DEPT-CIO/TEAM-OPS', default_x_hierarchy_path_names: 'CIO > Ops' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // The path sent was wrong (TEAM-OPS sits under PROJ-CTO): the tree's is stored, with its names.
    expect(res.body).toMatchObject({ default_x_hierarchy_entity_id: 'TEAM-OPS', default_x_hierarchy_path: '/DEPT-CIO/PROJ-CTO/TEAM-OPS', default_x_hierarchy_path_names: ['CIO', 'CTO', 'Ops'], default_x_hierarchy_entity_name: 'Ops', default_x_hierarchy_level_code: 'function' });
    const unknown = await call('PUT', '/openai', { default_x_hierarchy_entity_id: 'TEAM-GONE' });
    expect(unknown.status).toBe(422);
    expect(String(unknown.body.detail)).toContain('default_x_hierarchy_entity_id');
    expect((await call('GET', '/openai')).body).toMatchObject({ default_x_hierarchy_entity_id: 'TEAM-OPS' });
  });

  it('a new credential by PUT keeps the default allocation unless given', async () => {
    const res = await call('PUT', '/openai', { credential: OPENAI });
    expect(res.status).toBe(200);
    expect((await call('GET', '/openai')).body).toMatchObject({ default_x_hierarchy_entity_id: 'TEAM-OPS', credential_name: 'Prod key' });
  });

  it('a PUT with nothing to change is 422 naming why, in detail', async () => {
    const res = await call('PUT', '/openai', { skip_validation: true });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/Give credential, credential_name, metadata or a default_x_hierarchy_\* field/);
  });
});
