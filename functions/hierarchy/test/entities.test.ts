import { describe, expect, it } from 'vitest';
import { buildTree, hierarchyApp } from './support/app.js';

describe('levels', () => {
  it('an org without level rows reads the configured defaults; the first write stores them with its change', async () => {
    const h = await hierarchyApp();
    const list = await h.call('GET', '/levels');
    expect(list.status, list.text).toBe(200);
    expect(list.body.levels.map((l: any) => [l.level, l.level_code, l.id_prefix, l.is_leaf])).toEqual([[1, 'c_suite', 'DEPT-', false], [2, 'business_unit', 'PROJ-', false], [3, 'function', 'TEAM-', true]]);
    expect(list.body.max_depth).toBe(3);
    const created = await h.call('POST', '/levels', { level: 4, level_code: 'squad', level_name: 'Squad', level_name_plural: 'Squads', parent_level: 3 });
    expect(created.status, created.text).toBe(422); // level 3 is a leaf
    expect(created.body.detail).toMatch(/parent_level/);
    const ok = await h.call('PUT', '/levels/3', { is_leaf: false });
    expect(ok.status, ok.text).toBe(200);
    const squad = await h.call('POST', '/levels', { level: 4, level_code: 'squad', level_name: 'Squad', level_name_plural: 'Squads', parent_level: 3, id_prefix: 'SQ-', is_leaf: true });
    expect(squad.status, squad.text).toBe(201);
    const again = await h.call('POST', '/levels', { level: 4, level_code: 'squad2', level_name: 'S', level_name_plural: 'S', parent_level: 3 });
    expect(again.status).toBe(409);
    const rows = await h.deps.warehouse.query({ sql: `SELECT level, created_by FROM ${h.deps.warehouse.table('organizations', 'org_hierarchy_levels')} WHERE org_slug = @o AND level > 0 ORDER BY level`, params: { o: h.org } });
    expect(rows.map((r) => r.level)).toEqual([1, 2, 3, 4]);
    expect(new Set(rows.map((r) => r.created_by))).not.toContain('system');
    expect((await h.call('DELETE', '/levels/3')).status).toBe(409); // parent of 4
    expect((await h.call('DELETE', '/levels/4')).status).toBe(204);
    const seeded = await h.call('POST', '/levels/seed');
    expect(seeded.status, seeded.text).toBe(200);
    expect(seeded.body.created).toBe(0);
  });

  it('POST /levels/seed stores the defaults once', async () => {
    const h = await hierarchyApp();
    const first = await h.call('POST', '/levels/seed');
    expect(first.body.created).toBe(3);
    const second = await h.call('POST', '/levels/seed');
    expect(second.body.created).toBe(0);
    const rows = await h.deps.warehouse.query({ sql: `SELECT level FROM ${h.deps.warehouse.table('organizations', 'org_hierarchy_levels')} WHERE org_slug = @o AND level > 0`, params: { o: h.org } });
    expect(rows).toHaveLength(3);
  });
});

describe('entities', () => {
  it('create, read, rename (paths follow), move (descendants follow), delete', async () => {
    const h = await hierarchyApp();
    await buildTree(h);
    const team = await h.call('GET', '/entities/TEAM-DATA');
    expect(team.status, team.text).toBe(200);
    expect(team.body).toMatchObject({ path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA', path_names: ['Group CIO', 'Engineering', 'Data'], depth: 2, version: 1, metadata: { cost_center: 'CC-1' } });
    expect(team.body.created_by).not.toBe('system');
    const dup = await h.call('POST', '/entities', { entity_id: 'team-data', entity_name: 'Again', level_code: 'function', parent_id: 'PROJ-CTO' });
    expect(dup.status).toBe(409);
    const badParent = await h.call('POST', '/entities', { entity_id: 'TEAM-X', entity_name: 'X', level_code: 'function', parent_id: 'DEPT-CIO' });
    expect(badParent.status).toBe(422);
    expect(badParent.body.detail).toMatch(/parent_id/);
    const prefix = await h.call('POST', '/entities', { entity_id: 'XX-1', entity_name: 'X', level_code: 'c_suite' });
    expect(prefix.status).toBe(422);
    expect(prefix.body.detail).toMatch(/entity_id.*DEPT-/);
    const generated = await h.call('POST', '/entities', { entity_name: 'Gen', level_code: 'c_suite' });
    expect(generated.status).toBe(201);
    expect(generated.body.entity_id).toMatch(/^DEPT-[0-9A-F]{8}$/);

    const renamed = await h.call('PUT', '/entities/PROJ-CTO', { entity_name: 'Platform Engineering' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body.version).toBe(2);
    expect((await h.call('GET', '/entities/TEAM-DATA')).body.path_names).toEqual(['Group CIO', 'Platform Engineering', 'Data']);

    const moved = await h.call('POST', '/entities/PROJ-CTO/move', { new_parent_id: 'DEPT-COO' });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.path).toBe('/DEPT-COO/PROJ-CTO');
    expect(moved.body.moved).toBe(2);
    const t2 = (await h.call('GET', '/entities/TEAM-DATA')).body;
    expect(t2.path).toBe('/DEPT-COO/PROJ-CTO/TEAM-DATA');
    expect((await h.call('GET', '/entities/TEAM-DATA/ancestors')).body.entities.map((e: any) => e.entity_id)).toEqual(['DEPT-COO', 'PROJ-CTO']);
    expect((await h.call('GET', '/entities/DEPT-COO/descendants')).body.entities.map((e: any) => e.entity_id).sort()).toEqual(['PROJ-CTO', 'PROJ-OPS', 'TEAM-DATA']);
    expect((await h.call('GET', '/entities/DEPT-COO/children')).body.total).toBe(2);

    const tree = await h.call('GET', '/tree');
    expect(tree.status, tree.text).toBe(200);
    expect(tree.body.stats).toEqual({ c_suite: 3, business_unit: 2, function: 1, total: 6 });

    const can = await h.call('GET', '/entities/PROJ-CTO/can-delete');
    expect(can.body).toMatchObject({ blocked: true, blocking_entities: [{ entity_id: 'TEAM-DATA', type: 'child' }] });
    expect((await h.call('DELETE', '/entities/PROJ-CTO')).status).toBe(409);
    expect((await h.call('DELETE', '/entities/PROJ-CTO?force=true')).status).toBe(204);
    expect((await h.call('GET', '/entities/TEAM-DATA')).status).toBe(404);
    // A PUT on a deleted entity does not resurrect it.
    expect((await h.call('PUT', '/entities/PROJ-CTO', { entity_name: 'Back' })).status).toBe(404);
    const rows = await h.versions();
    const current = rows.filter((r) => r.end_date === null).map((r) => r.entity_id);
    expect(new Set(current).size).toBe(current.length);
    expect(current).not.toContain('TEAM-DATA');
    expect((await h.call('DELETE', '/levels/3')).status).toBe(204); // no entity on it any more
  });
});

describe('level edits never wedge the org', () => {
  it('a new id_prefix or a lower max_children applies to new entities only; deactivating a used level is 409', async () => {
    const h = await hierarchyApp();
    await buildTree(h);
    expect((await h.call('PUT', '/levels/2', { id_prefix: 'BU-', max_children: 1 })).status).toBe(200);
    // PROJ-CTO keeps its id; DEPT-CIO keeps its children; the org can still be written.
    const renamed = await h.call('PUT', '/entities/PROJ-CTO', { entity_name: 'Eng' });
    expect(renamed.status, renamed.text).toBe(200);
    const old = await h.call('POST', '/entities', { entity_id: 'PROJ-NEW', entity_name: 'New', level_code: 'business_unit', parent_id: 'DEPT-CIO' });
    expect(old.status).toBe(422);
    expect(old.body.detail).toMatch(/entity_id PROJ-NEW must start with BU-/);
    const fresh = await h.call('POST', '/entities', { entity_id: 'BU-NEW', entity_name: 'New', level_code: 'business_unit', parent_id: 'DEPT-CIO' });
    expect(fresh.status).toBe(201);
    // Level 2's max_children (1) holds for a child added under a level-2 entity, not for the one already there.
    const second = await h.call('POST', '/entities', { entity_id: 'TEAM-TWO', entity_name: 'Two', level_code: 'function', parent_id: 'PROJ-CTO' });
    expect(second.status).toBe(422);
    expect(second.body.detail).toMatch(/PROJ-CTO may have at most 1 children/);
    expect((await h.call('POST', '/entities', { entity_id: 'TEAM-TWO', entity_name: 'Two', level_code: 'function', parent_id: 'BU-NEW' })).status).toBe(201);
    const off = await h.call('PUT', '/levels/3', { is_active: false });
    expect(off.status).toBe(409);
    expect(off.body.detail).toMatch(/used by 2 entities/);
  });
});

describe('bad input is 422 naming the field, never 5xx', () => {
  it.each([
    ['POST', '/entities', { entity_name: 'X', level_code: 'Bad Code' }, /level_code/],
    ['POST', '/entities', { entity_id: 'dept a', entity_name: 'X', level_code: 'c_suite' }, /entity_id/],
    ['POST', '/entities', { entity_id: 'DEPT-A', entity_name: 'X', level_code: 'c_suite', owner_email: 'nope' }, /owner_email/],
    ['POST', '/entities', { entity_id: 'DEPT-A', entity_name: 'X', level_code: 'c_suite', metadata: { big: 'x'.repeat(11_000) } }, /metadata/],
    ['POST', '/entities', { entity_id: 'DEPT-A', entity_name: 'X', level_code: 'c_suite', surprise: 1 }, /surprise/],
    ['POST', '/entities', { entity_id: 'PROJ-A', entity_name: 'X', level_code: 'business_unit' }, /parent_id/],
    ['POST', '/entities', { entity_id: 'DEPT-A', entity_name: 'X', level_code: 'nonexistent' }, /level_code/],
    ['PUT', '/levels/0', { level_name: 'x' }, /level/],
    ['PUT', '/levels/abc', { level_name: 'x' }, /level/],
    ['POST', '/levels', { level: 11, level_code: 'x1', level_name: 'X', level_name_plural: 'X' }, /level/],
    ['POST', '/levels', { level: 5, level_code: 'x1', level_name: 'X', level_name_plural: 'X', parent_level: 4 }, /parent_level/],
    ['POST', '/import', {}, /csv_content/],
    ['POST', '/import/preview', { csv_content: 1 }, /csv_content/],
    ['POST', '/entities/DEPT-A/move', {}, /new_parent_id/],
  ])('%s %s', async (method, path, body, field) => {
    const h = await sharedApp();
    const res = await h.call(method, path, body);
    expect(res.status, res.text).toBe(422);
    expect(res.body.detail, res.text).toMatch(field);
  });
});

let shared: Awaited<ReturnType<typeof hierarchyApp>> | undefined;
async function sharedApp() {
  return (shared ??= await hierarchyApp('bad_input_co'));
}
