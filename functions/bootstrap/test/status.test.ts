import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, settableClock } from '../../../shared/test/support/orgs.js';

/** GET /api/v1/admin/bootstrap/status: the central dataset against its schema files, one round-trip, cached 30 s per instance. */
async function setup() {
  const time = settableClock();
  const deps = await testDeps({}, { clock: time.clock });
  const app = buildFunctionApp('bootstrap', routes, deps);
  let n = 0;
  const status = async (query = '?force_refresh=false', headers: Record<string, string> = { 'x-ca-root-key': TEST_ROOT_KEY }) => {
    const id = `status-${++n}`;
    const res = await app.fetch(new Request(`http://fn/api/v1/admin/bootstrap/status${query}`, { headers: { ...headers, 'x-request-id': id } }));
    const line = deps.logger.lines.find((l) => l.client_request_id === id);
    return { status: res.status, body: (await res.json()) as Record<string, any>, calls: line?.warehouse_calls, depth: line?.warehouse_depth };
  };
  return { deps, app, time, status };
}

const expectedTables = centralTables().tables.map((t) => t.name);

describe('GET /api/v1/admin/bootstrap/status', () => {
  it('needs the root key', async () => {
    const s = await setup();
    expect((await s.status('', {})).status).toBe(401);
    expect((await s.status('', { 'x-ca-root-key': 'wrong' })).status).toBe(401);
  });

  it('answers 200 NOT_BOOTSTRAPPED on an empty warehouse, then SYNCED after bootstrap', async () => {
    const s = await setup();
    const before = await s.status();
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'NOT_BOOTSTRAPPED', dataset: 'organizations', dataset_exists: false, tables_expected: expectedTables.length, tables_existing: [], tables_extra: [], schema_diffs: {} });
    expect(before.body.tables_missing).toEqual(expectedTables);
    await bootstrap(s.deps);
    const after = await s.status();
    expect(after.body).toMatchObject({ status: 'SYNCED', dataset_exists: true, tables_missing: [], tables_extra: [], schema_diffs: {}, cached: false });
    expect(after.body.tables_existing).toEqual(expectedTables);
  });

  it('one warehouse round-trip; answered from the instance for 30 s; force_refresh=true asks again', async () => {
    const s = await setup();
    await bootstrap(s.deps);
    const first = await s.status();
    expect([first.calls, first.depth, first.body.cached]).toEqual([1, 1, false]);
    const second = await s.status('');
    expect([second.calls, second.body.cached]).toEqual([0, true]);
    expect(second.body.checked_at).toBe(first.body.checked_at);
    const forced = await s.status('?force_refresh=true');
    expect([forced.calls, forced.body.cached]).toEqual([1, false]);
    s.time.advance(30_001);
    expect((await s.status()).calls).toBe(1);
  });

  it('concurrent first calls share one check', async () => {
    const s = await setup();
    await bootstrap(s.deps);
    const answers = await Promise.all(Array.from({ length: 5 }, () => s.status()));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.reduce((sum, a) => sum + Number(a.calls ?? 0), 0)).toBe(1);
  });

  it('OUT_OF_SYNC names missing tables, missing and extra columns and extra tables (the columns sync_schema would add)', async () => {
    const s = await setup();
    await bootstrap(s.deps);
    expect((await s.status()).body.status).toBe('SYNCED');
    const wh = s.deps.warehouse;
    const spec = centralTables().tables.find((t) => t.name === 'org_profiles')!;
    const dropped = spec.fields.at(-1)!.name;
    await wh.dropTable('organizations', 'org_usage_quotas');
    await wh.dropTable('organizations', 'org_profiles');
    await wh.createTable('organizations', { ...spec, fields: spec.fields.slice(0, -1) });
    await wh.addColumns('organizations', 'org_audit_logs', [{ name: 'legacy_note', type: 'STRING', mode: 'NULLABLE' }]);
    await wh.createTable('organizations', { name: 'old_backup', fields: [{ name: 'x', type: 'STRING' }] });

    const stale = await s.status();
    expect(stale.body.status, 'still the cached SYNCED: the changes went around bootstrap').toBe('SYNCED');
    const res = await s.status('?force_refresh=true');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'OUT_OF_SYNC',
      dataset_exists: true,
      tables_missing: ['org_usage_quotas'],
      tables_extra: ['old_backup'],
      schema_diffs: {
        org_profiles: { missing_columns: [dropped], extra_columns: [] },
        org_audit_logs: { missing_columns: [], extra_columns: ['legacy_note'] },
      },
    });
    expect(Object.keys(res.body.schema_diffs).sort()).toEqual(['org_audit_logs', 'org_profiles']);
    expect(res.body.message).toMatch(/1 tables missing.*2 tables differ/);

    // Bootstrap with sync_schema repairs what it can; its run drops the cached answer.
    const repair = await s.app.fetch(new Request('http://fn/api/v1/admin/bootstrap', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ sync_schema: true }) }));
    expect(repair.status).toBe(200);
    const fixed = await s.status();
    expect(fixed.body).toMatchObject({ status: 'OUT_OF_SYNC', cached: false, tables_missing: [], tables_extra: ['old_backup'], schema_diffs: { org_audit_logs: { missing_columns: [], extra_columns: ['legacy_note'] } } });
    expect(fixed.body.schema_diffs.org_profiles).toBeUndefined();
  });

  it('refuses an unknown query parameter or a value that is not a boolean', async () => {
    const s = await setup();
    expect((await s.status('?force_refresh=maybe')).status).toBe(422);
    expect((await s.status('?refresh=true')).status).toBe(422);
  });
});
