import { randomUUID } from 'node:crypto';
import { forgetOrg, type AppDeps } from '../app/deps.js';
import type { Scope } from '../auth/principal.js';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors.js';
import { insertRows } from '../warehouse/dml.js';
import type { Row, Warehouse } from '../warehouse/port.js';
import { writeAudit } from './audit.js';
import { ALL_SCOPES, apiKeyAad, fingerprintOf, hashOrgApiKey, newOrgApiKey } from './keys.js';
import { getLiveProfile } from './profile-store.js';
import { CENTRAL, centralSpec, ref } from './tables.js';

export interface KeyMetadata {
  org_api_key_id: string;
  fingerprint: string;
  description: string | null;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  is_active: boolean;
}

const META = 'org_api_key_id, org_api_key_fingerprint, description, scopes, created_at, last_used_at, expires_at, revoked_at, is_active';

function toMeta(r: Row): KeyMetadata {
  return {
    org_api_key_id: String(r.org_api_key_id),
    fingerprint: String(r.org_api_key_fingerprint ?? ''),
    description: (r.description as string | null) ?? null,
    scopes: (r.scopes as Scope[] | null) ?? [],
    created_at: String(r.created_at),
    last_used_at: (r.last_used_at as string | null) ?? null,
    expires_at: (r.expires_at as string | null) ?? null,
    revoked_at: (r.revoked_at as string | null) ?? null,
    is_active: r.is_active === true,
  };
}

/** Metadata of an org's keys, newest first; never the key or its hash. */
export async function listKeys(deps: AppDeps, orgSlug: string): Promise<KeyMetadata[]> {
  const rows = await deps.warehouse.query({
    sql: `SELECT ${META} FROM ${ref(deps.warehouse, 'org_api_keys')} WHERE org_slug = @org ORDER BY created_at DESC`,
    params: { org: orgSlug },
  });
  return rows.map(toMeta);
}

export interface IssuedKey {
  api_key: string;
  org_api_key_id: string;
  fingerprint: string;
  scopes: Scope[];
  expires_at: string | null;
}

/**
 * One org_api_keys row by DML INSERT (a key may be revoked minutes later, which a streamed row
 * could not be). Only the hash is checked; the encrypted copy serves the development reveal.
 */
export async function insertKeyRow(wh: Warehouse, k: { id: string; orgSlug: string; apiKey: string; encrypted: Uint8Array; scopes: Scope[]; description: string | null; expiresAt: Date | null; now: Date }): Promise<void> {
  await insertRows(wh, CENTRAL, centralSpec('org_api_keys'), [{
    org_api_key_id: k.id,
    org_slug: k.orgSlug,
    org_api_key_hash: hashOrgApiKey(k.apiKey),
    encrypted_org_api_key: k.encrypted,
    org_api_key_fingerprint: fingerprintOf(k.apiKey),
    description: k.description,
    scopes: k.scopes,
    is_active: true,
    expires_at: k.expiresAt,
    created_at: k.now,
  }]);
}

/** A new key for the org; `id` may be chosen by the caller so other writes can name it in parallel. */
async function issueKey(deps: AppDeps, orgSlug: string, opts: { id?: string; scopes: Scope[]; description: string | null; expiresAt: Date | null; now: Date }): Promise<IssuedKey> {
  const apiKey = newOrgApiKey(orgSlug);
  const id = opts.id ?? randomUUID();
  const encrypted = await deps.encryptor.encrypt(apiKey, apiKeyAad(orgSlug));
  await insertKeyRow(deps.warehouse, { id, orgSlug, apiKey, encrypted, scopes: opts.scopes, description: opts.description, expiresAt: opts.expiresAt, now: opts.now });
  return { api_key: apiKey, org_api_key_id: id, fingerprint: fingerprintOf(apiKey), scopes: opts.scopes, expires_at: opts.expiresAt?.toISOString() ?? null };
}

const MAX_GRACE_SECONDS = 24 * 3600;

/**
 * Rotates the calling key: a new key with the same scopes now; the old one stops at once, or
 * keeps working for `graceSeconds` (≤ 24 h) so deployed clients can switch over.
 */
export async function rotateKey(deps: AppDeps, orgSlug: string, currentKeyId: string, graceSeconds: number, requestId: string) {
  if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) throw new BadRequestError(`grace_period_seconds must be between 0 and ${MAX_GRACE_SECONDS}`);
  const wh = deps.warehouse;
  const now = deps.clock();
  const [current] = await wh.query({
    sql: `SELECT ${META}, org_api_key_hash FROM ${ref(wh, 'org_api_keys')} WHERE org_slug = @org AND org_api_key_id = @id AND is_active`,
    params: { org: orgSlug, id: currentKeyId },
  });
  if (!current) throw new NotFoundError('The calling key is no longer active');
  const meta = toMeta(current);
  const oldEnds = graceSeconds === 0 ? now : new Date(now.getTime() + graceSeconds * 1000);
  const keepUntil = meta.expires_at && Date.parse(meta.expires_at) < oldEnds.getTime() ? new Date(meta.expires_at) : oldEnds;
  const [issued] = await Promise.all([
    issueKey(deps, orgSlug, { scopes: meta.scopes, description: meta.description ?? 'Rotated key', expiresAt: meta.expires_at ? new Date(meta.expires_at) : null, now }),
    graceSeconds === 0
      ? wh.execute({ sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_api_key_id = @id`, params: { now, id: currentKeyId } })
      : wh.execute({ sql: `UPDATE ${ref(wh, 'org_api_keys')} SET expires_at = @until WHERE org_api_key_id = @id`, params: { until: keepUntil, id: currentKeyId } }),
    writeAudit(wh, now, { orgSlug, action: 'API_KEY_ROTATE', resourceType: 'API_KEY', resourceId: currentKeyId, apiKeyId: currentKeyId, requestId, details: { grace_period_seconds: graceSeconds } }),
  ]);
  deps.orgKeys.forgetKey(String(current.org_api_key_hash));
  return { ...issued, previous_key_id: currentKeyId, previous_key_valid_until: keepUntil.toISOString(), message: 'New key issued. Store it now: it is not shown again.' };
}

/** Root: an extra key for an org, optionally narrower (`read`) or expiring. */
export async function createKey(deps: AppDeps, input: { org_slug: string; description?: string; expires_at?: string; scopes?: Scope[] }, requestId: string): Promise<IssuedKey & { org_slug: string }> {
  const now = deps.clock();
  const expiresAt = input.expires_at ? new Date(input.expires_at) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw new BadRequestError('expires_at must be in the future');
  await getLiveProfile(deps.warehouse, input.org_slug);
  const scopes = input.scopes?.length ? [...new Set(input.scopes)] : [...ALL_SCOPES];
  const [issued] = await Promise.all([
    issueKey(deps, input.org_slug, { scopes, description: input.description ?? null, expiresAt, now }),
    writeAudit(deps.warehouse, now, { orgSlug: input.org_slug, action: 'API_KEY_CREATE', resourceType: 'API_KEY', requestId, details: { scopes, expires_at: input.expires_at ?? null } }),
  ]);
  return { org_slug: input.org_slug, ...issued };
}

/** Root: revokes a key by its hash (what logs and support tools hold, never the key). */
export async function revokeKey(deps: AppDeps, keyHash: string, requestId: string) {
  const wh = deps.warehouse;
  const now = deps.clock();
  const [row] = await wh.query({ sql: `SELECT org_api_key_id, org_slug, is_active FROM ${ref(wh, 'org_api_keys')} WHERE org_api_key_hash = @hash`, params: { hash: keyHash } });
  if (!row) throw new NotFoundError('No API key with that hash');
  await Promise.all([
    wh.execute({ sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_api_key_hash = @hash AND is_active`, params: { now, hash: keyHash } }),
    writeAudit(wh, now, { orgSlug: String(row.org_slug), action: 'API_KEY_REVOKE', resourceType: 'API_KEY', resourceId: String(row.org_api_key_id), requestId }),
  ]);
  deps.orgKeys.forgetKey(keyHash);
  return { org_slug: String(row.org_slug), org_api_key_id: String(row.org_api_key_id), revoked: true, was_active: row.is_active === true };
}

/** Root: revokes every key of the org and issues a new full-scope one. */
export async function regenerateKey(deps: AppDeps, orgSlug: string, requestId: string) {
  const wh = deps.warehouse;
  const now = deps.clock();
  await getLiveProfile(wh, orgSlug);
  // The new key's id is chosen here so retiring the others need not wait for its insert.
  const id = randomUUID();
  const [issued] = await Promise.all([
    issueKey(deps, orgSlug, { id, scopes: [...ALL_SCOPES], description: 'Regenerated by an admin', expiresAt: null, now }),
    wh.execute({
      sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_slug = @org AND is_active AND org_api_key_id != @id`,
      params: { now, org: orgSlug, id },
    }),
    writeAudit(wh, now, { orgSlug, action: 'API_KEY_REGENERATE', resourceType: 'API_KEY', resourceId: id, requestId }),
  ]);
  forgetOrg(deps, orgSlug);
  return { org_slug: orgSlug, ...issued, message: 'All previous keys revoked. Store the new key now: it is not shown again.' };
}

/** Development only: the org's newest active key, decrypted, so a local web app can be wired up. */
export async function revealKey(deps: AppDeps, orgSlug: string) {
  if (deps.config.environment !== 'development') throw new ForbiddenError('Key retrieval is available in development only');
  const [row] = await deps.warehouse.query({
    sql: `SELECT org_api_key_id, encrypted_org_api_key, scopes FROM ${ref(deps.warehouse, 'org_api_keys')}
          WHERE org_slug = @org AND is_active AND encrypted_org_api_key IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
    params: { org: orgSlug },
  });
  if (!row) throw new NotFoundError(`Organization '${orgSlug}' has no active key`);
  const key = await deps.encryptor.decrypt(row.encrypted_org_api_key as Buffer, apiKeyAad(orgSlug));
  return { org_slug: orgSlug, org_api_key_id: String(row.org_api_key_id), api_key: key.toString('utf8'), scopes: row.scopes as Scope[] };
}
