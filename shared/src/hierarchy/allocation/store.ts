import { randomUUID } from 'node:crypto';
import type { Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { counterOf, ensureLock, lockedMerge, LOCK_KEY, type LockSpec } from '../lock-merge.js';
import { hierarchyRef } from '../tables.js';

/**
 * The one owner of `org_hierarchy_allocation_rules` SQL: one immutable row per version of a
 * tenant's label rules, plus the tenant's lock row (row_kind '-lock-', `version` = how many
 * versions). A new version is one lockedMerge (lock-merge.ts) expecting the count it read: of two
 * concurrent PUTs that both read N, exactly one inserts N + 1 (an insert-only statement would
 * never conflict on BigQuery; this one always updates the lock row).
 */
const TABLE = 'org_hierarchy_allocation_rules';
const SPEC: LockSpec = { table: TABLE, keyColumn: 'row_kind', counter: 'version', token: 'token' };

export interface StoredRule { label_key: string; label_value: string; entity_id: string }
export interface RuleVersion { version: number; effective_from: string; label_keys: string[]; rules: StoredRule[]; created_at: string; created_by: string | null }

const day = (v: unknown): string => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10));

function toVersion(r: Row): RuleVersion {
  return {
    version: Number(r.version), effective_from: day(r.effective_from), label_keys: JSON.parse(String(r.label_keys)) as string[],
    rules: JSON.parse(String(r.rules)) as StoredRule[], created_at: r.created_at instanceof Date ? r.created_at.toISOString() : String(r.created_at), created_by: r.created_by === null || r.created_by === undefined ? null : String(r.created_by),
  };
}

/** Every version of the tenant's rules, oldest first, and the lock's count (null: never written). One query. */
export async function readRuleVersions(wh: Warehouse, t: Tenant): Promise<{ versions: RuleVersion[]; counter: number | null }> {
  const rows = await wh.query({
    sql: `SELECT id, row_kind, version, effective_from, label_keys, rules, created_at, created_by FROM ${hierarchyRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id ORDER BY version, id`,
    params: { org: t.orgSlug, org_id: t.orgId },
  });
  const locks = rows.filter((r) => r.row_kind === LOCK_KEY);
  return { versions: rows.filter((r) => r.row_kind !== LOCK_KEY).map(toVersion), counter: counterOf(locks, 'version') };
}

/** The tenant's lock row, unless it has one (harmless twice: every statement uses the smallest id). */
export async function ensureRulesLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  await ensureLock(wh, SPEC, t, {
    id: `${LOCK_KEY}${randomUUID()}`, org_slug: t.orgSlug, org_id: t.orgId, row_kind: LOCK_KEY, version: 0, effective_from: null, label_keys: null, rules: null,
    token: null, created_at: now, created_by: 'system', updated_at: now,
  });
}

/** Inserts version `expected + 1` while the lock still counts `expected`: true when this call made it. */
export async function insertRuleVersion(wh: Warehouse, t: Tenant, expected: number, v: Omit<RuleVersion, 'created_at'>, now: Date): Promise<boolean> {
  const affected = await lockedMerge(wh, SPEC, {
    tenant: t, expected, writeToken: randomUUID(), now,
    insert: [{ id: randomUUID(), org_slug: t.orgSlug, org_id: t.orgId, row_kind: 'version', version: v.version, effective_from: v.effective_from, label_keys: JSON.stringify(v.label_keys), rules: JSON.stringify(v.rules), token: null, created_at: now, created_by: v.created_by, updated_at: now }],
  });
  return affected > 0;
}
