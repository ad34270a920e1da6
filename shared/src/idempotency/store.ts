import type { Warehouse } from '../warehouse/port.js';
import { ref } from '../orgs/tables.js';

/**
 * The one owner of `org_idempotency_keys` SQL.
 *
 * Claiming a key must be decided by one statement even on BigQuery, which has no unique
 * constraints and does not serialise insert-only statements (two inserts of one key would both
 * land). So a claim is a MERGE that, when the key is free, also touches one shared lock row: all
 * claims that would take a key modify the same row, BigQuery runs them one after another (a
 * conflicting one is rerun on fresh data by the adapter, and then finds the key taken), and each
 * sees the claims committed before it. A claim that finds the key taken changes nothing at all.
 * So the affected-row count decides without guessing how many lock rows there are:
 * 0 = taken; the lock row(s) plus the new (or expired, reclaimed) key row = claimed: 2 with the
 * one lock row bootstrap writes; 1 = claimed with no lock row (not serialised: use.ts releases it
 * and answers 503 naming bootstrap); more = claimed, with extra lock rows (two bootstraps at the
 * very same moment). use.ts reads back every count but 0 and 2. Only bootstrap writes the lock
 * row (insert-if-absent): a claim never inserts it, since two inserts at once would make two.
 */
const LOCK_KEY = '-lock-';
const LOCK_SCOPE = '_lock';

/**
 * Bootstrap writes the lock row once, so even the very first claims are serialised (a claim
 * never inserts it: two first claims at the same instant would make two).
 */
export async function ensureIdempotencyLock(wh: Warehouse, now: Date): Promise<void> {
  await wh.execute({
    sql: `INSERT INTO ${ref(wh, 'org_idempotency_keys')} (idempotency_key, org_slug, state, created_at, updated_at)
          SELECT @lock_key, @lock_scope, 'LOCK', @now, @now FROM (SELECT 1 AS one) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${ref(wh, 'org_idempotency_keys')} WHERE idempotency_key = @lock_key AND org_slug = @lock_scope)`,
    params: { lock_key: LOCK_KEY, lock_scope: LOCK_SCOPE, now },
  });
}

export interface ClaimArgs {
  key: string;
  scope: string;
  /** The caller's tenant (orgs/identity.ts), '' for the root key: a use stored by the slug's earlier life is not this org's. */
  orgId: string;
  callerId: string;
  method: string;
  path: string;
  hash: string;
  requestId: string;
  now: Date;
  expiresAt: Date;
  /** A RUNNING use last touched before this was abandoned (its request died): it may be taken over. */
  leaseCutoff: Date;
}

/** Rows the claim affected: 0 = taken; 2 = claimed (one lock row); 1 = claimed without a lock row; more = claimed, extra lock rows. */
export async function claimKey(wh: Warehouse, a: ClaimArgs): Promise<number> {
  const table = ref(wh, 'org_idempotency_keys');
  // A key row is free when it has expired, is RUNNING with its lease over (its request died), or
  // belongs to another tenant of the slug (deleted and onboarded again): the new org's first use
  // of a key takes the row over and never sees, nor is refused by, the earlier org's answer.
  const free = (t: string) => `(${t}.expires_at < @now OR (${t}.state = 'RUNNING' AND ${t}.updated_at < @lease_cutoff) OR COALESCE(${t}.org_id, '') != @org_id)`;
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
      USING (
        SELECT @key AS idempotency_key, @scope AS org_slug, FALSE AS is_lock
        UNION ALL
        SELECT @lock_key, @lock_scope, TRUE FROM (SELECT 1 AS one) AS x
        WHERE NOT EXISTS (SELECT 1 FROM ${table} AS U WHERE U.idempotency_key = @key AND U.org_slug = @scope AND NOT COALESCE(${free('U')}, FALSE))
      ) AS S
      ON T.idempotency_key = S.idempotency_key AND T.org_slug = S.org_slug
      WHEN MATCHED AND S.is_lock THEN UPDATE SET updated_at = @now
      WHEN MATCHED AND NOT S.is_lock AND ${free('T')} THEN UPDATE SET
        org_id = @org_id, caller_id = @caller, request_method = @method, request_path = @path, request_hash = @hash, state = 'RUNNING',
        response_status = NULL, response_data = NULL, response_encrypted = NULL, request_id = @rid, created_at = @now, updated_at = @now, expires_at = @expires
      WHEN NOT MATCHED AND NOT S.is_lock THEN INSERT
        (idempotency_key, org_slug, org_id, caller_id, request_method, request_path, request_hash, state, request_id, created_at, updated_at, expires_at)
        VALUES (@key, @scope, @org_id, @caller, @method, @path, @hash, 'RUNNING', @rid, @now, @now, @expires)`,
    params: { key: a.key, scope: a.scope, org_id: a.orgId, lock_key: LOCK_KEY, lock_scope: LOCK_SCOPE, caller: a.callerId, method: a.method, path: a.path, hash: a.hash, rid: a.requestId, now: a.now, expires: a.expiresAt, lease_cutoff: a.leaseCutoff },
  });
  return affectedRows;
}

export interface StoredUse {
  requestId: string | null;
  callerId: string | null;
  method: string | null;
  path: string | null;
  hash: string | null;
  state: 'RUNNING' | 'DONE';
  status: number | null;
  data: string | null;
  encrypted: Buffer | null;
  updatedAt: string | null;
}

export async function readKey(wh: Warehouse, key: string, scope: string): Promise<StoredUse | undefined> {
  const [row] = await wh.query({
    sql: `SELECT request_id, caller_id, request_method, request_path, request_hash, state, response_status, response_data, response_encrypted, updated_at
          FROM ${ref(wh, 'org_idempotency_keys')} WHERE idempotency_key = @key AND org_slug = @scope`,
    params: { key, scope },
  });
  if (!row) return undefined;
  return {
    requestId: (row.request_id as string | null) ?? null,
    callerId: (row.caller_id as string | null) ?? null,
    method: (row.request_method as string | null) ?? null,
    path: (row.request_path as string | null) ?? null,
    hash: (row.request_hash as string | null) ?? null,
    state: row.state === 'DONE' ? 'DONE' : 'RUNNING',
    status: row.response_status === null || row.response_status === undefined ? null : Number(row.response_status),
    data: (row.response_data as string | null) ?? null,
    encrypted: (row.response_encrypted as Buffer | null) ?? null,
    updatedAt: (row.updated_at as string | null) ?? null,
  };
}

/**
 * The one write after the request: the answer stored (plain, or encrypted when it carries a
 * secret). The same MERGE deletes every use that has expired, so a stored secret lives no
 * longer than the first completed request after its expiry.
 */
export async function completeKey(wh: Warehouse, a: { key: string; scope: string; status: number; data: string | null; encrypted: Uint8Array | null; now: Date }): Promise<void> {
  await wh.execute({
    sql: `MERGE INTO ${ref(wh, 'org_idempotency_keys')} AS T
      USING (SELECT @key AS idempotency_key, @scope AS org_slug) AS S
      ON T.idempotency_key = S.idempotency_key AND T.org_slug = S.org_slug
      WHEN MATCHED THEN UPDATE SET state = 'DONE', response_status = @status, response_data = @data, response_encrypted = @encrypted, updated_at = @now
      WHEN NOT MATCHED BY SOURCE AND T.expires_at < @now AND T.state != 'LOCK' THEN DELETE`,
    params: { key: a.key, scope: a.scope, status: a.status, data: a.data, encrypted: a.encrypted, now: a.now },
    types: { data: 'STRING', encrypted: 'BYTES' },
  });
}

/** A first request that failed for a reason worth retrying (5xx): the key is free again. */
export async function releaseKey(wh: Warehouse, key: string, scope: string): Promise<void> {
  await wh.execute({
    sql: `DELETE FROM ${ref(wh, 'org_idempotency_keys')} WHERE idempotency_key = @key AND org_slug = @scope AND state = 'RUNNING'`,
    params: { key, scope },
  });
}
