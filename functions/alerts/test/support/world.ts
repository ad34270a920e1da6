import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import type { AlertsApp } from './app.js';

const spec = (name: string) => centralTables().tables.find((t) => t.name === name)!;

/** The tenant id (org_id) of an onboarded org, as every alert table keys it. */
export async function orgIdOf(a: AlertsApp, org = a.org): Promise<string> {
  const [row] = await a.deps.warehouse.query({ sql: `SELECT onboarding_claim_id AS id FROM ${a.deps.warehouse.table('organizations', 'org_profiles')} WHERE org_slug = @org`, params: { org } });
  return String(row!.id);
}

/** Pipeline runs as the pipelines function records them (status and start time are what the rule reads). */
export async function insertRuns(a: AlertsApp, runs: { id: string; pipeline_id: string; status: string; start: Date; error?: string }[], org = a.org): Promise<void> {
  const orgId = await orgIdOf(a, org);
  await insertRows(a.deps.warehouse, 'organizations', spec('org_meta_pipeline_runs'), runs.map((r) => ({
    pipeline_logging_id: r.id, org_slug: org, org_id: orgId, pipeline_id: r.pipeline_id, status: r.status, trigger_type: 'scheduled', start_time: r.start, end_time: r.start, error_message: r.error ?? null,
  })));
}

/** An active credential in the given validation state (the integrations function's row shape). */
export async function insertCredential(a: AlertsApp, c: { id: string; provider: string; status: 'VALID' | 'INVALID'; validatedAt: Date; error?: string }, org = a.org): Promise<void> {
  const orgId = await orgIdOf(a, org);
  await insertRows(a.deps.warehouse, 'organizations', spec('org_integration_credentials'), [{
    credential_id: c.id, org_slug: org, org_id: orgId, provider: c.provider, credential_name: `${c.provider} prod`, encrypted_credential: Buffer.from('x'), credential_type: 'api_key',
    validation_status: c.status, last_validated_at: c.validatedAt, last_error: c.error ?? null, is_active: true, created_at: c.validatedAt, updated_at: c.validatedAt,
  }]);
}
