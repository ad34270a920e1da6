import { describe, expect, it } from 'vitest';
import { ensureRulesLock, insertRuleVersion, readRuleVersions } from '@cloudact/shared/hierarchy/allocation/store';
import { tenantOf } from '../../../shared/src/orgs/identity.js';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { hierarchyApp } from './support/app.js';

/**
 * Two first writes at once may each insert a lock row. The interleaving that broke the
 * smallest-lock-row rule, made deterministic: a write bumps the only lock row it sees; a second
 * lock row (a smaller id, counter 0) commits after it; the other write, which read counter 0
 * before, must not make the same version again.
 */
describe('the hierarchy write lock with two lock rows', () => {
  it('a late second lock row does not let a stale write through (the counter is the largest, every write sets all of them)', async () => {
    const h = await hierarchyApp('lock_rows');
    const wh = h.deps.warehouse;
    const t = await tenantOf(testCtx(h.deps), 'lock_rows');
    const now = h.deps.clock();
    const v = { version: 1, effective_from: '2026-03-01', label_keys: ['team'], rules: [{ label_key: 'team', label_value: 'x', entity_id: 'TEAM-DATA' }], created_by: 'test' };
    await ensureRulesLock(wh, t, now);
    expect(await insertRuleVersion(wh, t, 0, v, now)).toBe(true);
    // The concurrent first write's lock row, committed late, sorting first.
    const T = wh.table('organizations', 'org_hierarchy_allocation_rules');
    await wh.execute({
      sql: `INSERT INTO ${T} (id, org_slug, org_id, row_kind, version, created_at, created_by, updated_at) VALUES ('-lock-0000', @org, @org_id, '-lock-', 0, @now, 'system', @now)`,
      params: { org: t.orgSlug, org_id: t.orgId, now },
    });
    expect((await readRuleVersions(wh, t)).counter).toBe(1);
    expect(await insertRuleVersion(wh, t, 0, v, now)).toBe(false);
    expect((await readRuleVersions(wh, t)).versions.map((x) => x.version)).toEqual([1]);
    // The next write, from the counter it reads, goes through and sets both lock rows.
    expect(await insertRuleVersion(wh, t, 1, { ...v, version: 2 }, now)).toBe(true);
    const locks = await wh.query({ sql: `SELECT version FROM ${T} WHERE org_id = @org_id AND row_kind = '-lock-' ORDER BY id`, params: { org_id: t.orgId } });
    expect(locks.map((r) => Number(r.version))).toEqual([2, 2]);
  });
});
