import { insertRows } from '../../warehouse/dml.js';
import type { ParamType, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { CENTRAL, centralSpec, columnsOf, ref } from '../../orgs/tables.js';

/**
 * The one owner of `org_integration_credentials` SQL. A credential row is never updated in its
 * secret: a new setup inserts a new row and then retires the older ones (create before you
 * retire), so a failure between the two leaves the org with a working credential. Reads take
 * the newest active row per provider, so that moment of two active rows is harmless.
 */
export type ValidationStatus = 'VALID' | 'INVALID' | 'PENDING';

/** Where the provider's costs are allocated by default (the web app's setup form; the hierarchy issue validates them). */
export interface DefaultHierarchy {
  default_x_hierarchy_entity_id?: string | null;
  default_x_hierarchy_entity_name?: string | null;
  default_x_hierarchy_level_code?: string | null;
  default_x_hierarchy_path?: string | null;
  default_x_hierarchy_path_names?: string[] | null;
}
export const DEFAULT_HIERARCHY_FIELDS = ['default_x_hierarchy_entity_id', 'default_x_hierarchy_entity_name', 'default_x_hierarchy_level_code', 'default_x_hierarchy_path', 'default_x_hierarchy_path_names'] as const;

export interface CredentialRow extends Required<DefaultHierarchy> {
  credential_id: string;
  org_slug: string;
  provider: string;
  credential_name: string | null;
  credential_type: string;
  fingerprint: string | null;
  validation_status: ValidationStatus;
  last_validated_at: string | null;
  last_error: string | null;
  key_expires_at: string | null;
  metadata: Record<string, unknown> | null;
  created_at: string;
  updated_at: string | null;
}

/** Everything but the ciphertext: it is read only where it is decrypted. */
let listed: string | undefined;
// Read from the schema file on first use, not at module load: a cold start that runs no query reads none.
const LISTED = (): string => (listed ??= columnsOf('org_integration_credentials', ['encrypted_credential', 'is_active', 'created_by_user_id', 'updated_by_user_id']).join(', '));

function toRow(r: Row): CredentialRow {
  return {
    credential_id: String(r.credential_id),
    org_slug: String(r.org_slug),
    provider: String(r.provider),
    credential_name: (r.credential_name as string | null) ?? null,
    credential_type: String(r.credential_type),
    fingerprint: (r.fingerprint as string | null) ?? null,
    validation_status: String(r.validation_status) as ValidationStatus,
    last_validated_at: (r.last_validated_at as string | null) ?? null,
    last_error: (r.last_error as string | null) ?? null,
    key_expires_at: (r.key_expires_at as string | null) ?? null,
    metadata: (r.metadata as Record<string, unknown> | null) ?? null,
    created_at: String(r.created_at),
    updated_at: (r.updated_at as string | null) ?? null,
    default_x_hierarchy_entity_id: (r.default_x_hierarchy_entity_id as string | null) ?? null,
    default_x_hierarchy_entity_name: (r.default_x_hierarchy_entity_name as string | null) ?? null,
    default_x_hierarchy_level_code: (r.default_x_hierarchy_level_code as string | null) ?? null,
    default_x_hierarchy_path: (r.default_x_hierarchy_path as string | null) ?? null,
    default_x_hierarchy_path_names: (r.default_x_hierarchy_path_names as string[] | null) ?? null,
  };
}

/** The newest active credential of each provider of the org, in one query. */
export async function activeByProvider(wh: Warehouse, t: Tenant): Promise<Map<string, CredentialRow>> {
  const rows = await wh.query({
    sql: `SELECT ${LISTED()} FROM ${ref(wh, 'org_integration_credentials')} WHERE org_slug = @org AND org_id = @org_id AND is_active ORDER BY created_at DESC, credential_id`,
    params: { org: t.orgSlug, org_id: t.orgId },
  });
  const out = new Map<string, CredentialRow>();
  for (const r of rows) if (!out.has(String(r.provider))) out.set(String(r.provider), toRow(r));
  return out;
}

/** The newest active credential of one provider, with its ciphertext. */
export async function activeWithSecret(wh: Warehouse, t: Tenant, provider: string): Promise<(CredentialRow & { encrypted: Buffer }) | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${LISTED()}, encrypted_credential FROM ${ref(wh, 'org_integration_credentials')}
          WHERE org_slug = @org AND org_id = @org_id AND provider = @provider AND is_active ORDER BY created_at DESC, credential_id LIMIT 1`,
    params: { org: t.orgSlug, org_id: t.orgId, provider },
  });
  return row ? { ...toRow(row), encrypted: row.encrypted_credential as Buffer } : undefined;
}

export interface NewCredential {
  id: string;
  tenant: Tenant;
  provider: string;
  name: string | null;
  type: string;
  fingerprint: string;
  encrypted: Uint8Array;
  status: ValidationStatus;
  error: string | null;
  validatedAt: Date | null;
  keyExpiresAt?: Date | null;
  metadata: Record<string, unknown> | null;
  hierarchy: DefaultHierarchy;
  actorId: string | undefined;
  now: Date;
}

/** DML INSERT, never streaming: the row is retired or re-validated later. */
export async function insertCredential(wh: Warehouse, c: NewCredential): Promise<void> {
  await insertRows(wh, CENTRAL, centralSpec('org_integration_credentials'), [{
    credential_id: c.id,
    org_slug: c.tenant.orgSlug,
    org_id: c.tenant.orgId,
    provider: c.provider,
    credential_name: c.name,
    encrypted_credential: c.encrypted,
    credential_type: c.type,
    fingerprint: c.fingerprint,
    validation_status: c.status,
    last_validated_at: c.validatedAt,
    last_error: c.error,
    key_expires_at: c.keyExpiresAt ?? null,
    metadata: c.metadata === null ? null : JSON.stringify(c.metadata),
    is_active: true,
    ...Object.fromEntries(DEFAULT_HIERARCHY_FIELDS.map((f) => [f, c.hierarchy[f] ?? undefined])),
    created_by_user_id: c.actorId,
    created_at: c.now,
    updated_at: c.now,
  }]);
}

/**
 * After a new credential is in: the provider's active rows that reads rank below it (older, or
 * as old with a greater id: the order of activeByProvider) stop being used (kept for audit).
 * Only those: two setups at once each retire what is older than their own row, so the newest
 * survives whichever retires last. Retiring "every row but mine" let two setups retire each
 * other and leave the provider with no active credential.
 */
export async function retireOlder(wh: Warehouse, t: Tenant, provider: string, keep: { id: string; createdAt: Date }, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET is_active = FALSE, updated_at = @now
          WHERE org_slug = @org AND org_id = @org_id AND provider = @provider AND is_active
            AND (created_at < @keep_at OR (created_at = @keep_at AND credential_id > @keep))`,
    params: { now, org: t.orgSlug, org_id: t.orgId, provider, keep: keep.id, keep_at: keep.createdAt },
  });
  return affectedRows;
}

/** One credential row stops being used (a setup past the plan's providers limit takes its own row back). */
export async function deactivateRow(wh: Warehouse, id: string, now: Date): Promise<void> {
  await wh.execute({ sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET is_active = FALSE, updated_at = @now WHERE credential_id = @id`, params: { now, id } });
}

/** The distinct providers with an active credential (the plan's limit, checked after a setup's insert). */
export async function activeProviders(wh: Warehouse, t: Tenant): Promise<string[]> {
  const rows = await wh.query({
    sql: `SELECT DISTINCT provider FROM ${ref(wh, 'org_integration_credentials')} WHERE org_slug = @org AND org_id = @org_id AND is_active ORDER BY provider`,
    params: { org: t.orgSlug, org_id: t.orgId },
  });
  return rows.map((r) => String(r.provider));
}

export async function recordValidation(wh: Warehouse, a: { id: string; status: ValidationStatus; error: string | null; keyExpiresAt?: Date | null; now: Date }): Promise<void> {
  await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET validation_status = @status, last_error = @error, last_validated_at = @now, key_expires_at = @expires, updated_at = @now WHERE credential_id = @id`,
    params: { status: a.status, error: a.error, now: a.now, id: a.id, expires: a.keyExpiresAt ?? null },
    types: { error: 'STRING', expires: 'TIMESTAMP' },
  });
}

export async function updateDetails(wh: Warehouse, a: { id: string; name?: string; metadata?: Record<string, unknown>; hierarchy?: DefaultHierarchy; actorId: string | undefined; now: Date }): Promise<void> {
  const sets = ['updated_at = @now', 'updated_by_user_id = @actor'];
  const params: Record<string, string | string[] | Date | null> = { now: a.now, id: a.id, actor: a.actorId ?? null };
  const types: Record<string, ParamType> = { actor: 'STRING' };
  if (a.name !== undefined) { sets.push('credential_name = @name'); params.name = a.name; }
  if (a.metadata !== undefined) { sets.push('metadata = @metadata'); params.metadata = JSON.stringify(a.metadata); types.metadata = 'JSON'; }
  for (const f of DEFAULT_HIERARCHY_FIELDS) {
    const v = a.hierarchy?.[f];
    if (v === undefined) continue;
    sets.push(`${f} = @${f}`);
    params[f] = f === 'default_x_hierarchy_path_names' ? (v ?? []) : v;
    types[f] = f === 'default_x_hierarchy_path_names' ? { array: 'STRING' } : 'STRING';
  }
  await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET ${sets.join(', ')} WHERE credential_id = @id AND is_active`,
    params,
    types,
  });
}

/** DELETE of an integration: every active row of the provider stops being used (kept for audit). */
export async function deactivate(wh: Warehouse, t: Tenant, provider: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET is_active = FALSE, updated_at = @now WHERE org_slug = @org AND org_id = @org_id AND provider = @provider AND is_active`,
    params: { now, org: t.orgSlug, org_id: t.orgId, provider },
  });
  return affectedRows;
}

/** Deleting an org: none of its credentials (of any life of the slug) is used again. */
export async function deactivateAllOfSlug(wh: Warehouse, orgSlug: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_integration_credentials')} SET is_active = FALSE, updated_at = @now WHERE org_slug = @org AND is_active`,
    params: { now, org: orgSlug },
  });
  return affectedRows;
}

/**
 * The newest active credential's status per provider for every life of a slug, with its tenant:
 * read beside the profile in one round (the quota view), the caller keeps its tenant's.
 */
export async function activeStatusesOfSlug(wh: Warehouse, orgSlug: string): Promise<{ org_id: string | null; provider: string; validation_status: string }[]> {
  const rows = await wh.query({
    sql: `SELECT org_id, provider, validation_status FROM ${ref(wh, 'org_integration_credentials')} WHERE org_slug = @org AND is_active ORDER BY created_at DESC, credential_id`,
    params: { org: orgSlug },
  });
  const seen = new Set<string>();
  const out: { org_id: string | null; provider: string; validation_status: string }[] = [];
  for (const r of rows) {
    const k = `${String(r.org_id)}/${String(r.provider)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ org_id: (r.org_id as string | null) ?? null, provider: String(r.provider), validation_status: String(r.validation_status) });
  }
  return out;
}
