import type { OrgStatus, Scope } from '../../context/index.js';
import { insertRows } from '../../warehouse/dml.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import { keyUsageTables } from '../../warehouse/schemas.js';
import { CENTRAL, centralSpec, ref } from '../tables.js';
import { fingerprintOf, hashOrgApiKey } from './format.js';

/**
 * The one owner of `org_api_keys` SQL.
 *
 * BigQuery has no transactions across statements, so a key's validity is decided by single
 * statements elsewhere, and every read applies the same rule (`VALID`):
 * - `key_epoch` must equal the org's `org_profiles.key_epoch`. A regeneration inserts its key
 *   under a fresh epoch (invalid at first), then moves the org's epoch with one conditional
 *   UPDATE: that statement alone retires every older key and brings the new one to life, and of
 *   concurrent regenerations exactly one can make it.
 * - a rotation's successor (`rotated_from` set) is valid only once its predecessor's
 *   `rotated_to` names it. The rotation inserts the successor first, then retires the
 *   predecessor with a conditional UPDATE that also links it: one statement, one winner, and a
 *   failure before it leaves the caller's key working.
 * `is_active = FALSE` (revocation) and `expires_at` still apply on top.
 */
const VALID = `(COALESCE(k.key_epoch, '') = COALESCE(p.key_epoch, '') AND (k.rotated_from IS NULL OR pred.rotated_to = k.org_api_key_id))`;

function keysJoined(wh: Warehouse): string {
  return `${ref(wh, 'org_api_keys')} AS k
    JOIN ${ref(wh, 'org_profiles')} AS p ON p.org_slug = k.org_slug
    LEFT JOIN ${ref(wh, 'org_api_keys')} AS pred ON pred.org_api_key_id = k.rotated_from`;
}

export interface KeyRecord {
  keyId: string;
  orgSlug: string;
  orgId?: string;
  scopes: Scope[];
  /** Not revoked, and valid by the epoch and rotation rules above. */
  usable: boolean;
  expiresAt: number | null;
  orgStatus: OrgStatus;
  plan: string | null;
}

/** The key with this hash, for auth: one query, keys joined with the org's status and epoch. */
export async function findForAuth(wh: Warehouse, orgSlug: string, hash: string): Promise<KeyRecord | null> {
  const [row] = await wh.query({
    sql: `SELECT k.org_api_key_id, k.org_slug, k.scopes, k.expires_at, p.status AS org_status, p.subscription_plan AS org_plan, p.onboarding_claim_id AS org_id, (k.is_active AND ${VALID}) AS usable
          FROM ${keysJoined(wh)}
          WHERE k.org_slug = @org AND k.org_api_key_hash = @hash
          LIMIT 1`,
    params: { org: orgSlug, hash },
  });
  if (!row) return null;
  return {
    keyId: String(row.org_api_key_id),
    orgSlug: String(row.org_slug),
    ...(row.org_id ? { orgId: String(row.org_id) } : {}),
    scopes: (row.scopes as Scope[] | null) ?? [],
    usable: row.usable === true,
    expiresAt: row.expires_at ? Date.parse(String(row.expires_at)) : null,
    orgStatus: String(row.org_status) as OrgStatus,
    plan: (row.org_plan as string | null) ?? null,
  };
}

export interface KeyMetadata {
  org_api_key_id: string;
  fingerprint: string;
  description: string | null;
  scopes: Scope[];
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  /** Usable now: not revoked, not expired, not superseded by a regeneration or a rotation. */
  is_active: boolean;
  rotated_to: string | null;
}

const META = `k.org_api_key_id, k.org_api_key_fingerprint, k.description, k.scopes, k.created_at, k.expires_at, k.revoked_at, k.rotated_to, k.key_epoch,
  (k.is_active AND ${VALID} AND (k.expires_at IS NULL OR k.expires_at > @now)) AS usable`;

function toMeta(r: Row, lastUsed: Map<string, string>): KeyMetadata {
  const id = String(r.org_api_key_id);
  return {
    org_api_key_id: id,
    fingerprint: String(r.org_api_key_fingerprint ?? ''),
    description: (r.description as string | null) ?? null,
    scopes: (r.scopes as Scope[] | null) ?? [],
    created_at: String(r.created_at),
    last_used_at: lastUsed.get(id) ?? null,
    expires_at: (r.expires_at as string | null) ?? null,
    revoked_at: (r.revoked_at as string | null) ?? null,
    is_active: r.usable === true,
    rotated_to: (r.rotated_to as string | null) ?? null,
  };
}

/**
 * The org's keys since it was (re)created, newest first: a slug's earlier life is not shown.
 * `last_used_at` comes from the usage events in the same round (see lastUsedByKey).
 */
export async function listForOrg(wh: Warehouse, orgSlug: string, now: Date): Promise<KeyMetadata[]> {
  const [rows, lastUsed] = await Promise.all([
    wh.query({
      sql: `SELECT ${META} FROM ${keysJoined(wh)}
            WHERE k.org_slug = @org AND k.created_at >= p.created_at
            ORDER BY k.created_at DESC, k.org_api_key_id`,
      params: { org: orgSlug, now },
    }),
    lastUsedByKey(wh, orgSlug, new Date(now.getTime() - USAGE_LOOKBACK_DAYS * 86_400_000)),
  ]);
  return rows.map((r) => toMeta(r, lastUsed));
}

/** One key of the org, if it is usable now. */
export async function getUsable(wh: Warehouse, orgSlug: string, keyId: string, now: Date): Promise<(KeyMetadata & { hash: string; key_epoch: string | null }) | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${META}, k.org_api_key_hash FROM ${keysJoined(wh)} WHERE k.org_slug = @org AND k.org_api_key_id = @id`,
    params: { org: orgSlug, id: keyId, now },
  });
  if (!row || row.usable !== true) return undefined;
  return { ...toMeta(row, new Map()), hash: String(row.org_api_key_hash), key_epoch: (row.key_epoch as string | null) ?? null };
}

export interface NewKeyRow {
  id: string;
  orgSlug: string;
  /** The tenant, where the writer knows it without a read (keys are bound to their life by key_epoch anyway). */
  orgId?: string;
  apiKey: string;
  /** The encrypted key, kept only where the development reveal may need it. */
  encrypted: Uint8Array | null;
  scopes: Scope[];
  description: string | null;
  expiresAt: Date | null;
  keyEpoch: string | null;
  rotatedFrom?: string;
  now: Date;
}

/**
 * One org_api_keys row by DML INSERT, never the streaming API: a key may be revoked minutes
 * later, which a streamed row could not be. Only the hash is checked.
 */
export async function insertKey(wh: Warehouse, k: NewKeyRow): Promise<void> {
  await insertRows(wh, CENTRAL, centralSpec('org_api_keys'), [{
    org_api_key_id: k.id,
    org_slug: k.orgSlug,
    org_id: k.orgId,
    org_api_key_hash: hashOrgApiKey(k.apiKey),
    encrypted_org_api_key: k.encrypted ?? undefined,
    org_api_key_fingerprint: fingerprintOf(k.apiKey),
    description: k.description,
    scopes: k.scopes,
    is_active: true,
    expires_at: k.expiresAt,
    key_epoch: k.keyEpoch ?? undefined,
    rotated_from: k.rotatedFrom,
    created_at: k.now,
  }]);
}

/** Removes a row that never became valid (a lost rotation or regeneration, a rolled-back onboarding). */
export async function deleteKey(wh: Warehouse, keyId: string): Promise<void> {
  await wh.execute({ sql: `DELETE FROM ${ref(wh, 'org_api_keys')} WHERE org_api_key_id = @id`, params: { id: keyId } });
}

/**
 * The rotation's deciding statement: retires the calling key (now, or at `graceUntil`) and names
 * its successor, only if no other rotation got there first. 1 = this rotation won.
 */
export async function retireForRotation(wh: Warehouse, a: { keyId: string; successorId: string; epoch: string | null; now: Date; graceUntil: Date | null }): Promise<number> {
  const retire = a.graceUntil ? 'expires_at = @until' : 'is_active = FALSE, revoked_at = @now';
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_api_keys')} SET rotated_to = @successor, ${retire}
          WHERE org_api_key_id = @id AND is_active AND rotated_to IS NULL AND COALESCE(key_epoch, '') = @epoch`,
    params: { successor: a.successorId, id: a.keyId, epoch: a.epoch ?? '', now: a.now, ...(a.graceUntil ? { until: a.graceUntil } : {}) },
  });
  return affectedRows;
}

/** After an unanswered retire: which successor (if any) the key names. */
export async function rotatedTo(wh: Warehouse, keyId: string): Promise<string | null> {
  const [row] = await wh.query({ sql: `SELECT rotated_to FROM ${ref(wh, 'org_api_keys')} WHERE org_api_key_id = @id`, params: { id: keyId } });
  return (row?.rotated_to as string | null | undefined) ?? null;
}

export async function findByHash(wh: Warehouse, hash: string): Promise<{ org_api_key_id: string; org_slug: string; is_active: boolean } | undefined> {
  const [row] = await wh.query({ sql: `SELECT org_api_key_id, org_slug, is_active FROM ${ref(wh, 'org_api_keys')} WHERE org_api_key_hash = @hash`, params: { hash } });
  return row ? { org_api_key_id: String(row.org_api_key_id), org_slug: String(row.org_slug), is_active: row.is_active === true } : undefined;
}

/** Revocation by hash; the affected count says whether it was still active. */
export async function revokeByHash(wh: Warehouse, hash: string, now: Date): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now WHERE org_api_key_hash = @hash AND is_active`,
    params: { now, hash },
  });
  return affectedRows;
}

/**
 * Marks revoked every active key of the org outside `keepEpoch` (all of them when null). After a
 * regeneration or deletion those keys are already dead by epoch or org status; this keeps the
 * rows telling the truth, so its failure is logged, not fatal.
 */
export async function markRevoked(wh: Warehouse, orgSlug: string, now: Date, keepEpoch: string | null): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${ref(wh, 'org_api_keys')} SET is_active = FALSE, revoked_at = @now
          WHERE org_slug = @org AND is_active${keepEpoch === null ? '' : ` AND COALESCE(key_epoch, '') != @epoch`}`,
    params: { now, org: orgSlug, ...(keepEpoch === null ? {} : { epoch: keepEpoch }) },
  });
  return affectedRows;
}

/** The org's newest usable key that has an encrypted copy (development reveal). */
export async function newestEncrypted(wh: Warehouse, orgSlug: string, now: Date): Promise<{ id: string; encrypted: Buffer; scopes: Scope[] } | undefined> {
  const [row] = await wh.query({
    sql: `SELECT k.org_api_key_id, k.encrypted_org_api_key, k.scopes FROM ${keysJoined(wh)}
          WHERE k.org_slug = @org AND k.encrypted_org_api_key IS NOT NULL AND k.is_active AND ${VALID}
            AND (k.expires_at IS NULL OR k.expires_at > @now)
          ORDER BY k.created_at DESC LIMIT 1`,
    params: { org: orgSlug, now },
  });
  return row ? { id: String(row.org_api_key_id), encrypted: row.encrypted_org_api_key as Buffer, scopes: (row.scopes as Scope[] | null) ?? [] } : undefined;
}

/** How far back `last_used_at` looks (the usage table is partitioned by day: a bound keeps reads small). */
export const USAGE_LOOKBACK_DAYS = 90;

/**
 * `last_used_at` per key: MAX(timestamp) over the appended usage events. In production the
 * logging sink creates the table on its first write; until then there is no usage to show.
 */
export async function lastUsedByKey(wh: Warehouse, orgSlug: string, since: Date): Promise<Map<string, string>> {
  const set = keyUsageTables();
  const table = set.tables[0]!;
  try {
    const rows = await wh.query({
      sql: `SELECT jsonPayload.org_api_key_id AS id, MAX(timestamp) AS last_used_at
            FROM ${wh.table(set.dataset!, table.name)}
            WHERE timestamp >= @since AND jsonPayload.org_slug = @org AND jsonPayload.org_api_key_id IS NOT NULL
            GROUP BY jsonPayload.org_api_key_id`,
      params: { since, org: orgSlug },
    });
    return new Map(rows.map((r) => [String(r.id), String(r.last_used_at)]));
  } catch (err) {
    if (/not found|does not exist/i.test((err as Error).message)) return new Map();
    throw err;
  }
}
