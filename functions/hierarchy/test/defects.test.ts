import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { buildTree, hierarchyApp } from './support/app.js';

/**
 * The original's defects not covered by races.test.ts (concurrent updates, check-then-insert
 * duplicates), csv.test.ts / faults.test.ts (the import "lock", import-delete orphans) and
 * entities.test.ts (PUT resurrecting a deleted entity, force-delete orphans).
 */
describe('the original\'s defects', () => {
  it('created_by / updated_by and the audit rows name the caller\'s key, never "system"', async () => {
    const h = await hierarchyApp('actor_co');
    await buildTree(h);
    await h.call('PUT', '/entities/PROJ-CTO', { entity_name: 'Eng' });
    const [key] = await h.deps.warehouse.query({ sql: `SELECT org_api_key_id FROM ${h.deps.warehouse.table('organizations', 'org_api_keys')} WHERE org_slug = @o AND is_active`, params: { o: h.org } });
    const keyId = String(key!.org_api_key_id);
    const rows = await h.versions('PROJ-CTO');
    expect(rows.map((r) => [r.version, r.created_by, r.updated_by])).toEqual([[1, keyId, keyId], [2, keyId, keyId]]);
    const audit = await h.deps.warehouse.query({
      sql: `SELECT action, actor_type, actor_id FROM ${h.deps.warehouse.table('organizations', 'org_audit_logs')} WHERE org_slug = @o AND action LIKE 'HIERARCHY_%' ORDER BY created_at, action`,
      params: { o: h.org },
    });
    expect(audit.length).toBe(6); // five creates and the rename
    expect(new Set(audit.map((a) => `${a.actor_type}:${a.actor_id}`))).toEqual(new Set([`org:${keyId}`]));
  });

  it('an edit right after a create works: every row is written by DML (the original streamed them, so edits within ~30 minutes failed with 500)', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const h = await hierarchyApp('dml_co', { warehouse: faulty });
    faulty.armAt(0, 'before'); // count from here, no fault
    expect((await h.call('POST', '/entities', { entity_id: 'DEPT-A', entity_name: 'A', level_code: 'c_suite' })).status).toBe(201);
    expect((await h.call('PUT', '/entities/DEPT-A', { entity_name: 'A2' })).status).toBe(200);
    expect((await h.call('DELETE', '/entities/DEPT-A')).status).toBe(204);
    expect(new Set(faulty.log)).toEqual(new Set(['query', 'execute']));
    expect(faulty.log).not.toContain('loadColumnar');
  });
});

describe('round-trips', () => {
  it('a write is read (in parallel) + one MERGE + the audit row; a read is one round-trip', async () => {
    const h = await hierarchyApp('depth_co');
    await buildTree(h);
    const put = await h.call('PUT', '/entities/PROJ-CTO', { entity_name: 'Eng' });
    expect(put.log).toMatchObject({ warehouse_depth: 3 });
    const move = await h.call('POST', '/entities/PROJ-CTO/move', { new_parent_id: 'DEPT-COO' });
    expect(move.log).toMatchObject({ warehouse_depth: 3 });
    for (const path of ['/tree', '', '/entities/TEAM-DATA/ancestors', '/levels']) expect((await h.call('GET', path)).log, path).toMatchObject({ warehouse_depth: 1 });
  });
});
