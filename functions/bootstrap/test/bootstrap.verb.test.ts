import { describe, expect, it } from 'vitest';
import { bootstrapCentral, type BootstrapCtx } from '@cloudact/shared/bootstrap/bootstrap-central';
import { BadRequestError } from '@cloudact/shared/errors';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { RoundTripMeter, withMeter } from '@cloudact/shared/warehouse/metering';
import { testDeps } from '../../../shared/test/support/deps.js';

/** How many central tables the schema files define (other tables may be added beside these). */
const TABLES = centralTables().tables.length;

async function setup(environment: BootstrapCtx['environment'] = 'development') {
  const deps = await testDeps();
  const bdeps: BootstrapCtx = { warehouse: deps.warehouse, environment, tables: centralTables(), logger: deps.logger, clock: deps.clock, actor: { kind: 'system', name: 'test' }, requestId: 'r1' };
  const run = async (input: Parameters<typeof bootstrapCentral>[1] = {}) => {
    const meter = new RoundTripMeter();
    const result = await withMeter(meter, () => bootstrapCentral(bdeps, input));
    return { result, meter };
  };
  return { deps, run };
}

describe('bootstrapCentral', () => {
  it('runs a fresh bootstrap in at most 3 sequential warehouse round-trips', async () => {
    const { run } = await setup();
    const { result, meter } = await run();
    expect(result.tables_created).toHaveLength(TABLES);
    expect(meter.depth).toBeLessThanOrEqual(3);
    // dataset + describe, one per table, audit row + onboarding lock row + idempotency lock row
    expect(meter.count).toBe(TABLES + 5);
  });

  it('writes an audit row for the bootstrap', async () => {
    const { deps, run } = await setup();
    await run();
    const rows = await deps.warehouse.query({ sql: `SELECT action, resource_id, status, details FROM ${deps.warehouse.table('organizations', 'org_audit_logs')} WHERE org_slug = @o`, params: { o: '_system' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'BOOTSTRAP', resource_id: 'organizations', status: 'SUCCESS' });
    expect((rows[0]!.details as { created: string[] }).created).toHaveLength(TABLES);
  });

  it('creates only what is missing', async () => {
    const { deps, run } = await setup();
    await run();
    await deps.warehouse.dropTable('organizations', 'org_kms_keys');
    const { result } = await run();
    expect(result.tables_created).toEqual(['org_kms_keys']);
    expect(result.tables_existed).toHaveLength(TABLES - 1);
  });

  it('drops and recreates tables only when asked, keeping no old rows', async () => {
    const { deps, run } = await setup();
    await run();
    const { result } = await run({ force_recreate_tables: true });
    expect(result.tables_recreated).toHaveLength(TABLES);
    expect(result.tables_created).toHaveLength(TABLES);
    const audit = await deps.warehouse.query({ sql: `SELECT action FROM ${deps.warehouse.table('organizations', 'org_audit_logs')}` });
    expect(audit).toHaveLength(1); // only the recreate's own row survives
  });

  it('recreates the whole dataset when asked', async () => {
    const { run } = await setup();
    await run();
    const { result } = await run({ force_recreate_dataset: true });
    expect(result).toMatchObject({ dataset_created: true, tables_existed: [] });
    expect(result.tables_created).toHaveLength(TABLES);
  });

  it('refuses destructive runs in production without the confirmation, and allows them with it', async () => {
    const { run } = await setup('production');
    await run();
    await expect(run({ force_recreate_tables: true })).rejects.toBeInstanceOf(BadRequestError);
    await expect(run({ force_recreate_dataset: true, confirm: 'orgs' })).rejects.toThrow(/confirm/);
    const { result } = await run({ force_recreate_tables: true, confirm: 'organizations' });
    expect(result.tables_recreated).toHaveLength(TABLES);
  });

  it('reports missing columns, and adds them (nullable) only with sync_schema', async () => {
    const { deps, run } = await setup();
    await run();
    await deps.warehouse.execute({ sql: `ALTER TABLE ${deps.warehouse.table('organizations', 'org_api_keys')} DROP COLUMN revoked_at` });
    await deps.warehouse.execute({ sql: `ALTER TABLE ${deps.warehouse.table('organizations', 'org_profiles')} DROP COLUMN company_name` });
    const report = (await run()).result;
    expect(report.schema_drift).toEqual([
      { table: 'org_profiles', missing_columns: ['company_name'] },
      { table: 'org_api_keys', missing_columns: ['revoked_at'] },
    ]);
    expect(report.columns_added).toEqual([]);
    expect(report.message).toMatch(/sync_schema/);

    const synced = (await run({ sync_schema: true })).result;
    expect(synced.columns_added).toHaveLength(2);
    expect((await run()).result.schema_drift).toEqual([]);
    // company_name is REQUIRED in its schema but is added NULLABLE: existing rows have no value.
    await deps.warehouse.execute({ sql: `INSERT INTO ${deps.warehouse.table('organizations', 'org_profiles')} (org_slug, admin_email, org_dataset_id, status, created_at) VALUES ('a', 'a@b.c', 'a_prod', 'ACTIVE', TIMESTAMP '2026-01-01 00:00:00')` });
  });

  it('lets concurrent bootstraps race: both succeed and every table is created once', async () => {
    const { run } = await setup();
    const [a, b] = await Promise.all([run(), run()]);
    const created = [...a.result.tables_created, ...b.result.tables_created].sort();
    expect(created).toEqual(centralTables().tables.map((t) => t.name).sort());
  });
});

describe('sync_schema reaches the org datasets too', () => {
  it('an org onboarded before a table or column existed gets them, and nothing else changes', async () => {
    const { deps, run } = await setup();
    await run();
    const { onboard } = await import('../../../shared/test/support/orgs.js');
    await onboard(deps, 'old_co');
    // As if onboarded before these existed: one org table and one column missing.
    await deps.warehouse.dropTable('old_co_prod', 'saas_subscription_providers');
    await deps.warehouse.execute({ sql: `ALTER TABLE ${deps.warehouse.table('old_co_prod', 'llm_model_pricing')} DROP COLUMN notes` });
    const before = await deps.warehouse.describeDataset('old_co_prod');
    expect(before.has('saas_subscription_providers')).toBe(false);
    expect(before.get('llm_model_pricing')).not.toContain('notes');
    const plain = await run();
    expect(plain.result.org_datasets_synced).toEqual([]);
    const synced = await run({ sync_schema: true });
    expect(synced.result.org_datasets_synced).toEqual([{ org_slug: 'old_co', dataset_id: 'old_co_prod', tables_created: ['saas_subscription_providers'], columns_added: [{ table: 'llm_model_pricing', columns: ['notes'] }] }]);
    const after = await deps.warehouse.describeDataset('old_co_prod');
    expect(after.has('saas_subscription_providers')).toBe(true);
    expect(after.get('llm_model_pricing')).toContain('notes');
    expect((await run({ sync_schema: true })).result.org_datasets_synced).toEqual([]);
  });
});
