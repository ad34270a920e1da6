import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { createCloudActClient, type CloudActClient } from '../../../clients/typescript/src/index.js';
import * as hierarchyFn from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * The hierarchy page's journey over a real socket through the local gateway, with the typed
 * client the web app uses: seed the levels and the sample entities, build a three-level branch,
 * rename and move an entity and see the paths follow, export, edit the CSV, preview, import, and
 * see a failing import leave everything as it was.
 */
const ORG = 'journey_co';
const org_slug = ORG;
let server: Server;
let api: CloudActClient;
let deps: Awaited<ReturnType<typeof testDeps>>;
let exported = '';

beforeAll(async () => {
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: settableClock().clock });
  await bootstrap(deps);
  const key = (await onboard(deps, ORG, { subscription_plan: 'SCALE' })).api_key;
  let url: string;
  ({ server, url } = await createLocalGateway([{ name: 'hierarchy', routes: hierarchyFn.routes }], deps).listen(0));
  api = createCloudActClient({ baseUrl: url, apiKey: key });
}, 30_000);
afterAll(() => new Promise<void>((r) => server?.close(() => r())));

const path = { path: { org_slug } };
const entity = (entity_id: string) => ({ params: { path: { org_slug, entity_id } } });

describe('the hierarchy journey', () => {
  it('seeds the default levels (once) and the 20 sample entities', async () => {
    const levels = await api.POST('/api/v1/hierarchy/{org_slug}/levels/seed', { params: path });
    expect(levels.data).toMatchObject({ created: 3, max_depth: 3 });
    expect((await api.POST('/api/v1/hierarchy/{org_slug}/levels/seed', { params: path })).data?.created).toBe(0);
    const seeded = await api.POST('/api/v1/hierarchy/{org_slug}/entities/seed', { params: { ...path, query: {} } });
    expect(seeded.data).toMatchObject({ created_count: 20, skipped: false });
  });

  it('builds a three-level branch of its own', async () => {
    const mk = (body: { entity_id: string; entity_name: string; level_code: string; parent_id?: string }) => api.POST('/api/v1/hierarchy/{org_slug}/entities', { params: path, body });
    expect((await mk({ entity_id: 'DEPT-RND', entity_name: 'R&D', level_code: 'c_suite' })).response.status).toBe(201);
    expect((await mk({ entity_id: 'PROJ-LAB', entity_name: 'Lab', level_code: 'business_unit', parent_id: 'DEPT-RND' })).response.status).toBe(201);
    const team = await mk({ entity_id: 'TEAM-ML', entity_name: 'ML', level_code: 'function', parent_id: 'PROJ-LAB' });
    expect(team.data).toMatchObject({ path: '/DEPT-RND/PROJ-LAB/TEAM-ML', path_names: ['R&D', 'Lab', 'ML'], depth: 2 });
    const dup = await mk({ entity_id: 'TEAM-ML', entity_name: 'Again', level_code: 'function', parent_id: 'PROJ-LAB' });
    expect(dup.response.status).toBe(409);
    const tree = await api.GET('/api/v1/hierarchy/{org_slug}/tree', { params: { ...path, query: {} } });
    expect(tree.data?.stats).toEqual({ c_suite: 5, business_unit: 8, function: 10, total: 23 });
    const rnd = tree.data!.roots.find((r) => r.entity_id === 'DEPT-RND')!;
    expect(rnd.children.map((c) => c.entity_id)).toEqual(['PROJ-LAB']);
  });

  it('renames and moves an entity: the paths below follow', async () => {
    const renamed = await api.PUT('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', { ...entity('PROJ-LAB'), body: { entity_name: 'Research Lab' } });
    expect(renamed.data).toMatchObject({ version: 2, path_names: ['R&D', 'Research Lab'] });
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-ML'))).data?.path_names).toEqual(['R&D', 'Research Lab', 'ML']);
    const moved = await api.POST('/api/v1/hierarchy/{org_slug}/entities/{entity_id}/move', { ...entity('PROJ-LAB'), body: { new_parent_id: 'DEPT-CIO' } });
    expect(moved.data).toMatchObject({ path: '/DEPT-CIO/PROJ-LAB', moved: 2 });
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-ML'))).data?.path).toBe('/DEPT-CIO/PROJ-LAB/TEAM-ML');
    const ancestors = await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}/ancestors', entity('TEAM-ML'));
    expect(ancestors.data?.entities.map((e) => e.entity_id)).toEqual(['DEPT-CIO', 'PROJ-LAB']);
    const can = await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}/can-delete', entity('DEPT-RND'));
    expect(can.data).toMatchObject({ blocked: false, blocking_entities: [] });
    expect((await api.DELETE('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', { params: { path: { org_slug, entity_id: 'DEPT-RND' }, query: {} } })).response.status).toBe(204);
  });

  it('exports, edits the CSV, previews and imports it', async () => {
    const res = await api.GET('/api/v1/hierarchy/{org_slug}/export', { params: path, parseAs: 'text' });
    exported = res.data as unknown as string;
    expect(res.response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(exported.split('\r\n').filter(Boolean)).toHaveLength(23); // header + 22 (DEPT-RND deleted)
    const edited = exported
      .replace(/^TEAM-ML,ML,/m, 'TEAM-ML,Machine Learning,')
      .replace(/^TEAM-DATA,Data,3,function,PROJ-CTO,/m, 'TEAM-DATA,Data,3,function,PROJ-LAB,')
      .split('\r\n').filter((l) => !l.startsWith('TEAM-BU2APP,')).join('\r\n');
    const preview = await api.POST('/api/v1/hierarchy/{org_slug}/import/preview', { params: path, body: { csv_content: edited } });
    expect(preview.data).toMatchObject({ is_valid: true, has_changes: true, summary: { creates: 0, updates: 2, deletes: 1, unchanged: 19 } });
    const imported = await api.POST('/api/v1/hierarchy/{org_slug}/import', { params: path, body: { csv_content: edited } });
    expect(imported.data).toMatchObject({ success: true, created_count: 0, updated_count: 2, deleted_count: 1, unchanged_count: 19 });
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-DATA'))).data?.path).toBe('/DEPT-CIO/PROJ-LAB/TEAM-DATA');
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-BU2APP'))).response.status).toBe(404);
  });

  it('a failing import leaves everything as it was', async () => {
    const before = (await api.GET('/api/v1/hierarchy/{org_slug}/export', { params: path, parseAs: 'text' })).data as unknown as string;
    // Valid rows first, then a child whose parent the file drops: refused as a whole, nothing written.
    const broken = `${before}TEAM-LATE,Late,3,function,PROJ-GONE,,,,,\r\n`;
    const res = await api.POST('/api/v1/hierarchy/{org_slug}/import', { params: path, body: { csv_content: broken.replace(/^TEAM-ML,Machine Learning,/m, 'TEAM-ML,Renamed again,') } });
    expect(res.response.status).toBe(422);
    expect((res.error as { detail: string }).detail, JSON.stringify(res.error)).toMatch(/row 22 \(TEAM-LATE\): parent_id PROJ-GONE does not exist/);
    const after = (await api.GET('/api/v1/hierarchy/{org_slug}/export', { params: path, parseAs: 'text' })).data as unknown as string;
    expect(after).toBe(before);
  });
});
