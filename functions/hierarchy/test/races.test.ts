import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { buildTree, hierarchyApp, type HierarchyApp } from './support/app.js';

/**
 * Concurrent writes on the warehouse mode where mutating statements really overlap and conflict
 * as on BigQuery (no unique constraints; a conflict is retried by the adapter on a fresh snapshot).
 * The original inserted version + 1 twice for two concurrent updates, and checked duplicates
 * before inserting (both inserted).
 */
const raceApp = async (org: string) => hierarchyApp(org, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });

async function current(h: HierarchyApp) {
  return (await h.versions()).filter((r) => r.end_date === null);
}

function oneCurrentEach(rows: Record<string, unknown>[]) {
  const ids = rows.map((r) => String(r.entity_id));
  expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'entities with two current versions').toEqual([]);
}

describe('concurrent writes of one entity', () => {
  it('10 concurrent updates: each is 200 or 409, and exactly one current version remains, numbered after the winners', async () => {
    const h = await raceApp('race_upd');
    await buildTree(h);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.call('PUT', '/entities/PROJ-CTO', { entity_name: `Engineering ${i}` })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409), statuses.join(',')).toBe(true);
    const wins = statuses.filter((s) => s === 200).length;
    expect(wins).toBeGreaterThan(0);
    const rows = await h.versions('PROJ-CTO');
    const open = rows.filter((r) => r.end_date === null);
    expect(open, JSON.stringify(rows)).toHaveLength(1);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: wins + 1 }, (_, i) => i + 1));
    oneCurrentEach(await current(h));
    // The descendant's path names follow the name that is current.
    const team = (await h.call('GET', '/entities/TEAM-DATA')).body;
    expect(team.path_names[1]).toBe(open[0]!.entity_name);
  });

  it('8 concurrent moves back and forth: one current version of it and of its child, whose path goes through its current parent', async () => {
    const h = await raceApp('race_move');
    await buildTree(h);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => h.call('POST', '/entities/PROJ-CTO/move', { new_parent_id: i % 2 ? 'DEPT-CIO' : 'DEPT-COO' })));
    expect(answers.every((a) => a.status === 200 || a.status === 409), answers.map((a) => `${a.status} ${a.text.slice(0, 80)}`).join('\n')).toBe(true);
    const open = await current(h);
    oneCurrentEach(open);
    const proj = open.find((r) => r.entity_id === 'PROJ-CTO')!;
    const team = open.find((r) => r.entity_id === 'TEAM-DATA')!;
    expect(team.path).toBe(`/${proj.parent_id}/PROJ-CTO/TEAM-DATA`);
  });

  it('10 concurrent creates of one id: one 201, nine 409, one entity', async () => {
    const h = await raceApp('race_create');
    await buildTree(h);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => h.call('POST', '/entities', { entity_id: 'TEAM-NEW', entity_name: `New ${i}`, level_code: 'function', parent_id: 'PROJ-CTO' })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(await h.versions('TEAM-NEW')).toHaveLength(1);
  });

  it('a move racing an update of the same entity: both land one after the other, one current version', async () => {
    const h = await raceApp('race_mix');
    await buildTree(h);
    const [a, b] = await Promise.all([h.call('POST', '/entities/PROJ-CTO/move', { new_parent_id: 'DEPT-COO' }), h.call('PUT', '/entities/PROJ-CTO', { owner_name: 'Kim' })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const open = (await current(h)).filter((r) => r.entity_id === 'PROJ-CTO');
    expect(open).toHaveLength(1);
    expect(open[0]!.parent_id).toBe('DEPT-COO');
    expect((await h.call('GET', '/entities/PROJ-CTO')).body.owner_name).toBe('Kim');
  });
});

describe('concurrent imports (the original\'s import "lock" locked nothing)', () => {
  it('two different files at once: the hierarchy ends as exactly one of them, one current version each', async () => {
    const h = await raceApp('race_import');
    await buildTree(h);
    const base = (await h.call('GET', '/export')).text;
    const a = base.replace('PROJ-CTO,Engineering,', 'PROJ-CTO,Engineering A,') + 'TEAM-A,A,3,function,PROJ-CTO,,,,,\r\n';
    const b = base.replace('PROJ-CTO,Engineering,2,business_unit,DEPT-CIO', 'PROJ-CTO,Engineering B,2,business_unit,DEPT-COO').split('\r\n').filter((l) => !l.startsWith('PROJ-OPS')).join('\r\n');
    const answers = await Promise.all([a, b, a, b].map((csv) => h.call('POST', '/import', { csv_content: csv })));
    expect(answers.every((r) => r.status === 200 || r.status === 409), answers.map((r) => `${r.status} ${r.text.slice(0, 100)}`).join('\n')).toBe(true);
    const open = await current(h);
    oneCurrentEach(open);
    const now = (await h.call('GET', '/export')).text;
    expect([a, b].map((f) => f.trim().split('\r\n').sort().join('\n'))).toContain(now.trim().split('\r\n').sort().join('\n'));
  });

  it('an import racing creates: a created entity is either kept (it landed after the import) or the import is refused, never silently lost', async () => {
    const h = await raceApp('race_import_create');
    await buildTree(h);
    const file = (await h.call('GET', '/export')).text.replace('TEAM-DATA,Data,', 'TEAM-DATA,Data Team,');
    const [imp, ...creates] = await Promise.all([
      h.call('POST', '/import', { csv_content: file }),
      ...[1, 2, 3].map((i) => h.call('POST', '/entities', { entity_id: `TEAM-C${i}`, entity_name: `C${i}`, level_code: 'function', parent_id: 'PROJ-CTO' })),
    ]);
    expect(creates.map((c) => c.status)).toEqual([201, 201, 201]);
    expect([200, 409], imp.text).toContain(imp.status);
    const ids = (await current(h)).map((r) => String(r.entity_id));
    for (const i of [1, 2, 3]) expect(ids).toContain(`TEAM-C${i}`);
    oneCurrentEach(await current(h));
  });
});

describe('concurrent first level writes', () => {
  it('5 concurrent seeds store the defaults once', async () => {
    const h = await raceApp('race_levels');
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.call('POST', '/levels/seed')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.reduce((n, a) => n + a.body.created, 0)).toBe(3);
    const rows = await h.deps.warehouse.query({ sql: `SELECT level FROM ${h.deps.warehouse.table('organizations', 'org_hierarchy_levels')} WHERE org_slug = @o AND level > 0`, params: { o: h.org } });
    expect(rows).toHaveLength(3);
  });
});
