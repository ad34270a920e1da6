import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { createCloudActClient, type CloudActClient } from '../../../clients/typescript/src/index.js';
import * as hierarchyFn from '../src/routes.js';
import * as costsFn from '../../costs/src/routes.js';
import * as subscriptionsFn from '../../subscriptions/src/routes.js';
import * as integrationsFn from '../../integrations/src/routes.js';
import { startProviderStandIns, type ProviderStandIns } from '../../integrations/test/support/providers.js';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { convertedSql, referenceEngine } from '../../costs/test/support.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * The hierarchy page's journey over a real socket through the local gateway, with the typed
 * client the web app uses: seed the levels and the sample entities, build a three-level branch,
 * add a SaaS plan and an integration's default allocation on its entities, seed costs (tagged by
 * the pipelines, labelled, untagged), allocate a label to the new team,
 * read by-hierarchy and a department's /summary (its subtree only, to the cent against SQL),
 * rename and move an entity and see the paths, the plan, the integration and the costs follow, export, edit the CSV,
 * preview, import, and see a failing import leave everything as it was.
 */
const ORG = 'journey_co';
const org_slug = ORG;
let server: Server;
let api: CloudActClient;
let deps: Awaited<ReturnType<typeof testDeps>>;
let exported = '';
let allocated = 0;
let key = '';
let base = '';
let providers: ProviderStandIns;
const OPENAI = 'sk-proj-journeyopenai000000001';
const call = async (method: string, p: string, body?: unknown) => {
  const res = await fetch(`${base}${p}`, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, body: await res.json() as Record<string, any> };
};
const RANGE = 'start_date=2026-03-01&end_date=2026-03-19';
const costs = async <T = Record<string, any>>(p: string): Promise<T> => {
  const res = await fetch(`${base}/api/v1/costs/${ORG}${p}`, { headers: { 'x-api-key': key } });
  expect(res.status, p).toBe(200);
  return await res.json() as T;
};
const cents = (x: number) => Math.round(x * 100);
type Summary = { summary: { total_cost: number } };
type ByH = { data: { entity_id: string; total_cost: number }[]; summary: { total_cost: number; unallocated: { total_cost: number } } };

beforeAll(async () => {
  providers = await startProviderStandIns();
  providers.accepted.add(OPENAI);
  deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: settableClock().clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE', default_currency: 'USD', default_timezone: 'UTC' } as never)).api_key;
  // The enterprise profile: rows the pipelines tagged, rows only labelled (Tags team, cost_center), monthly rows untagged.
  await seedCosts(deps, { orgSlug: ORG, days: 25, rowsPerDay: 120, seed: 5, end: '2026-03-19', profile: 'enterprise' });
  let url: string;
  ({ server, url } = await createLocalGateway([{ name: 'hierarchy', routes: hierarchyFn.routes }, { name: 'costs', routes: costsFn.routes }, { name: 'subscriptions', routes: subscriptionsFn.routes }, { name: 'integrations', routes: integrationsFn.routes }], deps).listen(0));
  base = url;
  api = createCloudActClient({ baseUrl: url, apiKey: key });
}, 30_000);
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await providers?.close();
});

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

  it('a SaaS plan on the new team and an integration\'s default allocation on its project, placed by the tree; an entity the tree lacks is 422', async () => {
    const plan = await call('POST', `/api/v1/subscriptions/${ORG}/providers/chatgpt_plus/plans`, {
      plan_name: 'team', pricing_model: 'PER_SEAT', unit_price: 25, seats: 6, currency: 'USD', start_date: '2026-03-01',
      hierarchy_entity_id: 'TEAM-ML', hierarchy_entity_name: 'ML', hierarchy_level_code: 'function', hierarchy_path: '/WRONG/PATH', hierarchy_path_names: ['wrong'],
    });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.plan).toMatchObject({ hierarchy_entity_id: 'TEAM-ML', hierarchy_path: '/DEPT-RND/PROJ-LAB/TEAM-ML', hierarchy_path_names: ['R&D', 'Lab', 'ML'] });
    const ghost = await call('POST', `/api/v1/subscriptions/${ORG}/providers/chatgpt_plus/plans`, { plan_name: 'ghost', pricing_model: 'PER_SEAT', unit_price: 25, seats: 1, currency: 'USD', start_date: '2026-03-01', hierarchy_entity_id: 'TEAM-GHOST' });
    expect(ghost.status).toBe(422);
    expect(String(ghost.body.detail)).toContain('hierarchy_entity_id');
    const setup = await call('POST', `/api/v1/integrations/${ORG}/openai/setup`, { credential: OPENAI, credential_name: 'Lab key', default_x_hierarchy_entity_id: 'PROJ-LAB' });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    expect((await call('GET', `/api/v1/integrations/${ORG}/openai`)).body).toMatchObject({ default_x_hierarchy_entity_id: 'PROJ-LAB', default_x_hierarchy_path: '/DEPT-RND/PROJ-LAB', default_x_hierarchy_entity_name: 'Lab' });
    // Both references block deleting their entities until they move.
    const can = await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}/can-delete', entity('TEAM-ML'));
    expect(can.data?.blocked).toBe(true);
    expect(can.data?.blocking_entities.map((b) => b.type)).toContain('reference');
  });

  it('costs: a label rule allocates untagged rows to the new team; by-hierarchy and the department\'s /summary hold its subtree only, to the cent against SQL', async () => {
    const before = await costs<ByH>(`/by-hierarchy?${RANGE}`);
    expect(before.data.find((r) => r.entity_id === 'DEPT-RND')?.total_cost ?? 0).toBe(0);
    const put = await api.PUT('/api/v1/hierarchy/{org_slug}/allocation-rules', { params: path, body: { effective_from: '2026-03-01', rules: [{ label_key: 'team', label_value: 'team-7', entity_id: 'TEAM-ML' }] } });
    expect(put.response.status, JSON.stringify(put.error)).toBe(200);
    const ref = await referenceEngine(deps.warehouse, `${ORG}_prod`);
    try {
      // What the rule allocates: untagged rows labelled team=team-7, in USD, on their UTC day.
      const [sql] = await ref.rows<{ total: number }>(`SELECT SUM(cost) AS total FROM (${convertedSql('UTC', 'USD', ['Tags', 'x_HierarchyEntityId'])})
        WHERE x_HierarchyEntityId IS NULL AND len(list_filter(Tags, t -> t.Key = 'team' AND t.Value = 'team-7')) > 0 AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-19'`);
      expect(sql!.total).toBeGreaterThan(0);
      const dept = await costs<Summary>(`/summary?${RANGE}&department_id=DEPT-RND`);
      expect(cents(dept.summary.total_cost)).toBe(cents(sql!.total));
      const after = await costs<ByH>(`/by-hierarchy?${RANGE}`);
      expect(cents(after.data.find((r) => r.entity_id === 'DEPT-RND')!.total_cost)).toBe(cents(sql!.total));
      expect(after.summary.total_cost).toBe(before.summary.total_cost);
      expect(Math.abs(cents(before.summary.unallocated.total_cost - after.summary.unallocated.total_cost) - cents(sql!.total))).toBeLessThanOrEqual(1);
      // A sibling department holds none of it (subtree only).
      const cio = await costs<Summary>(`/summary?${RANGE}&department_id=DEPT-CIO`);
      expect(cents(cio.summary.total_cost)).toBe(cents(before.data.find((r) => r.entity_id === 'DEPT-CIO')!.total_cost));
      allocated = sql!.total;
    } finally {
      await ref.close();
    }
  });

  it('renames and moves an entity: the paths below follow', async () => {
    const renamed = await api.PUT('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', { ...entity('PROJ-LAB'), body: { entity_name: 'Research Lab' } });
    expect(renamed.data).toMatchObject({ version: 2, path_names: ['R&D', 'Research Lab'] });
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-ML'))).data?.path_names).toEqual(['R&D', 'Research Lab', 'ML']);
    const moved = await api.POST('/api/v1/hierarchy/{org_slug}/entities/{entity_id}/move', { ...entity('PROJ-LAB'), body: { new_parent_id: 'DEPT-CIO' } });
    expect(moved.data).toMatchObject({ path: '/DEPT-CIO/PROJ-LAB', moved: 2 });
    expect((await api.GET('/api/v1/hierarchy/{org_slug}/entities/{entity_id}', entity('TEAM-ML'))).data?.path).toBe('/DEPT-CIO/PROJ-LAB/TEAM-ML');
    // The label-allocated costs follow the team to its new department (the rule names the entity; the tree places it).
    await fetch(`${base}/api/v1/costs/${ORG}/cache/invalidate`, { method: 'POST', headers: { 'x-api-key': key } });
    expect(cents((await costs<Summary>(`/summary?${RANGE}&department_id=DEPT-RND`)).summary.total_cost)).toBe(0);
    expect(cents((await costs<Summary>(`/summary?${RANGE}&hierarchy_path=/DEPT-CIO/PROJ-LAB`)).summary.total_cost)).toBe(cents(allocated));
    // The plan and the integration show their entities where the tree has them now.
    const plans = await call('GET', `/api/v1/subscriptions/${ORG}/providers/chatgpt_plus/plans`);
    expect(plans.body.plans.find((p: { plan_name: string }) => p.plan_name.toLowerCase() === 'team')).toMatchObject({ hierarchy_path: '/DEPT-CIO/PROJ-LAB/TEAM-ML', hierarchy_path_names: ['Group CIO', 'Research Lab', 'ML'] });
    const integ = (await call('GET', `/api/v1/integrations/${ORG}`)).body.integrations.OPENAI;
    expect(integ).toMatchObject({ default_x_hierarchy_entity_id: 'PROJ-LAB', default_x_hierarchy_entity_name: 'Research Lab', default_x_hierarchy_path: '/DEPT-CIO/PROJ-LAB', default_x_hierarchy_path_names: ['Group CIO', 'Research Lab'] });
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
