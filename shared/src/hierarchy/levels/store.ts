import { randomUUID } from 'node:crypto';
import type { InsertRow } from '../../warehouse/dml.js';
import type { Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { counterOf, ensureLock, lockCarries, lockedMerge, LOCK_KEY, type LockedWrite, type LockSpec } from '../lock-merge.js';
import { hierarchyColumns, hierarchyRef } from '../tables.js';
import type { Level, LevelFields } from './fields.js';

/**
 * The one owner of `org_hierarchy_levels` SQL. One row per level of a tenant, changed in place,
 * plus the tenant's lock row (level 0, level_code '-lock-'): `display_order` counts the writes
 * and `icon` holds the last write's token. Every write is one lockedMerge (lock-merge.ts).
 */
const TABLE = 'org_hierarchy_levels';
const SPEC: LockSpec = { table: TABLE, keyColumn: 'level_code', counter: 'display_order', token: 'icon' };

let columns: string[] | undefined;
const COLUMNS = (): string[] => (columns ??= hierarchyColumns(TABLE));

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toLevel(r: Row): Level {
  return {
    id: String(r.id), org_slug: String(r.org_slug), level: Number(r.level), level_code: String(r.level_code), level_name: String(r.level_name),
    level_name_plural: String(r.level_name_plural), parent_level: num(r.parent_level), is_required: Boolean(r.is_required), is_leaf: Boolean(r.is_leaf),
    max_children: num(r.max_children), id_prefix: str(r.id_prefix), id_auto_generate: Boolean(r.id_auto_generate),
    metadata_schema: (r.metadata_schema ?? null) as Record<string, unknown> | null, display_order: Number(r.display_order), icon: str(r.icon), color: str(r.color),
    is_active: Boolean(r.is_active), created_at: str(r.created_at), created_by: str(r.created_by), updated_at: str(r.updated_at), updated_by: str(r.updated_by),
  };
}

export interface StoredLevels {
  levels: Level[];
  /** The lock row's write count; null = no lock row (nothing ever written: the defaults apply). */
  counter: number | null;
}

/** The tenant's level rows (every one, active or not) and its lock counter, in one query. */
export async function readLevels(wh: Warehouse, t: Tenant): Promise<StoredLevels> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS().join(', ')} FROM ${hierarchyRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id ORDER BY level, id`,
    params: { org: t.orgSlug, org_id: t.orgId },
  });
  const locks = rows.filter((r) => r.level_code === LOCK_KEY);
  return { levels: rows.filter((r) => r.level_code !== LOCK_KEY).map(toLevel), counter: counterOf(locks, 'display_order') };
}

/** A stored level row from its fields. */
export function levelRow(t: Tenant, f: LevelFields & { id?: string; is_active?: boolean; created_at?: Date | string | null; created_by?: string | null }, actor: string, now: Date): InsertRow {
  return {
    id: f.id ?? randomUUID(), org_slug: t.orgSlug, org_id: t.orgId, level: f.level, level_code: f.level_code, level_name: f.level_name, level_name_plural: f.level_name_plural,
    parent_level: f.parent_level, is_required: f.is_required, is_leaf: f.is_leaf, max_children: f.max_children, id_prefix: f.id_prefix, id_auto_generate: f.id_auto_generate,
    metadata_schema: f.metadata_schema ? JSON.stringify(f.metadata_schema) : null, display_order: f.display_order, icon: f.icon, color: f.color, is_active: f.is_active ?? true,
    created_at: f.created_at ? new Date(f.created_at) : now, created_by: f.created_by ?? actor, updated_at: now, updated_by: actor,
  };
}

export async function ensureLevelsLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  await ensureLock(wh, SPEC, t, {
    id: `${LOCK_KEY}${randomUUID()}`, org_slug: t.orgSlug, org_id: t.orgId, level: 0, level_code: LOCK_KEY, level_name: 'write lock (see shared/src/hierarchy/lock-merge.ts)',
    level_name_plural: LOCK_KEY, parent_level: null, is_required: false, is_leaf: false, max_children: null, id_prefix: null, id_auto_generate: false, metadata_schema: null,
    display_order: 0, icon: null, color: null, is_active: false, created_at: now, created_by: 'system', updated_at: now, updated_by: null,
  });
}

export type LevelsWrite = Pick<LockedWrite, 'insert' | 'replace' | 'remove' | 'guard'>;

/** One conditional MERGE of the tenant's levels (see lock-merge.ts); 0 = another write got in first. */
export async function writeLevels(wh: Warehouse, t: Tenant, w: LevelsWrite & { expected: number; writeToken: string; now: Date }): Promise<number> {
  return lockedMerge(wh, SPEC, { tenant: t, ...w });
}

export async function levelsWriteCommitted(wh: Warehouse, t: Tenant, writeToken: string): Promise<boolean> {
  return lockCarries(wh, SPEC, t, writeToken);
}
