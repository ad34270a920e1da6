import { randomUUID } from 'node:crypto';
import type { InsertRow } from '../../warehouse/dml.js';
import type { ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { counterOf, ensureLock, lockCarries, lockedMerge, LOCK_KEY, type LockedWrite, type LockSpec } from '../lock-merge.js';
import { hierarchyColumns, hierarchyRef } from '../tables.js';

/**
 * The one owner of `org_hierarchy` SQL. One row is one version of an entity (`end_date` NULL =
 * current); the tenant's lock row (entity_id '-lock-', level 0, ended at the epoch so it is never
 * current) counts the writes in `version` and holds the last write's token in `description`.
 * Every write is ONE lockedMerge (lock-merge.ts) that closes the versions it replaces and inserts
 * their successors, so an entity never has two current versions, and a rename or move rewrites
 * the descendants' paths in the same statement.
 */
const TABLE = 'org_hierarchy';
const SPEC: LockSpec = { table: TABLE, keyColumn: 'entity_id', counter: 'version', token: 'description' };
const EPOCH = new Date(0);

let columns: string[] | undefined;
const COLUMNS = (): string[] => (columns ??= hierarchyColumns(TABLE));

export interface EntityRow {
  id: string;
  org_slug: string;
  entity_id: string;
  entity_name: string;
  level: number;
  level_code: string;
  parent_id: string | null;
  path: string;
  path_ids: string[];
  path_names: string[];
  depth: number;
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  description: string | null;
  metadata: Record<string, unknown> | null;
  sort_order: number | null;
  is_active: boolean;
  created_at: string;
  created_by: string;
  updated_at: string | null;
  updated_by: string | null;
  version: number;
  end_date: string | null;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toEntity(r: Row): EntityRow {
  return {
    id: String(r.id), org_slug: String(r.org_slug), entity_id: String(r.entity_id), entity_name: String(r.entity_name), level: Number(r.level), level_code: String(r.level_code),
    parent_id: str(r.parent_id), path: String(r.path), path_ids: ((r.path_ids ?? []) as unknown[]).map(String), path_names: ((r.path_names ?? []) as unknown[]).map(String),
    depth: Number(r.depth), owner_id: str(r.owner_id), owner_name: str(r.owner_name), owner_email: str(r.owner_email), description: str(r.description),
    metadata: (r.metadata ?? null) as Record<string, unknown> | null, sort_order: r.sort_order === null || r.sort_order === undefined ? null : Number(r.sort_order),
    is_active: Boolean(r.is_active), created_at: String(r.created_at), created_by: String(r.created_by), updated_at: str(r.updated_at), updated_by: str(r.updated_by),
    version: Number(r.version), end_date: str(r.end_date),
  };
}

export interface CurrentEntities {
  entities: EntityRow[];
  /** The lock row's write count; null = no lock row yet. */
  counter: number | null;
}

/** The tenant's current versions and its lock counter, in one query. */
export async function readCurrent(wh: Warehouse, t: Tenant): Promise<CurrentEntities> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS().join(', ')} FROM ${hierarchyRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND (end_date IS NULL OR entity_id = @lock) ORDER BY level, entity_id, id`,
    params: { org: t.orgSlug, org_id: t.orgId, lock: LOCK_KEY },
  });
  const locks = rows.filter((r) => r.entity_id === LOCK_KEY);
  return { entities: rows.filter((r) => r.entity_id !== LOCK_KEY && r.end_date === null).map(toEntity), counter: counterOf(locks, 'version') };
}

/** Every version of one entity, oldest first. */
export async function entityVersions(wh: Warehouse, t: Tenant, entityId: string): Promise<EntityRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS().join(', ')} FROM ${hierarchyRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND entity_id = @entity_id ORDER BY version, id`,
    params: { org: t.orgSlug, org_id: t.orgId, entity_id: entityId },
  });
  return rows.map(toEntity);
}

/** The highest version each entity id of the tenant ever had (deleted ones too), so a re-created id continues its history. */
export async function lastVersions(wh: Warehouse, t: Tenant): Promise<Map<string, number>> {
  const rows = await wh.query({
    sql: `SELECT entity_id, MAX(version) AS v FROM ${hierarchyRef(wh, TABLE)} WHERE org_slug = @org AND org_id = @org_id AND entity_id != @lock GROUP BY entity_id`,
    params: { org: t.orgSlug, org_id: t.orgId, lock: LOCK_KEY },
  });
  return new Map(rows.map((r) => [String(r.entity_id), Number(r.v)]));
}

/** A new version as stored. */
export type NewVersion = Omit<EntityRow, 'id' | 'org_slug' | 'end_date' | 'created_at' | 'updated_at'> & { created_at?: string };

export function versionRow(t: Tenant, v: NewVersion, now: Date): InsertRow {
  return {
    ...v, id: randomUUID(), org_slug: t.orgSlug, org_id: t.orgId, metadata: v.metadata === null ? null : JSON.stringify(v.metadata),
    created_at: v.created_at ? new Date(v.created_at) : now, updated_at: now, end_date: null,
  };
}

/** A row versionRow made, as readCurrent would answer it. */
export function insertedEntity(r: InsertRow): EntityRow {
  const { org_id: _tenant, ...rest } = r;
  void _tenant;
  return toEntity({ ...rest, metadata: r.metadata === null || r.metadata === undefined ? null : JSON.parse(String(r.metadata)), created_at: (r.created_at as Date).toISOString(), updated_at: (r.updated_at as Date).toISOString() });
}

export async function ensureEntitiesLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  await ensureLock(wh, SPEC, t, {
    id: `${LOCK_KEY}${randomUUID()}`, org_slug: t.orgSlug, org_id: t.orgId, entity_id: LOCK_KEY, entity_name: 'write lock (see shared/src/hierarchy/lock-merge.ts)', level: 0,
    level_code: LOCK_KEY, parent_id: null, path: '/', path_ids: [], path_names: [], depth: 0, is_active: false, created_at: now, created_by: 'system', updated_at: now,
    version: 0, end_date: EPOCH, description: null,
  });
}

export interface EntitiesWrite {
  /** Row ids of the current versions this write ends (replaced or deleted). */
  close: readonly string[];
  insert: readonly InsertRow[];
  actor: string;
  /** The levels lock counter this decision read (-1: none): a level write in between refuses it. */
  levelsCounter?: number;
}

/** One conditional MERGE: the versions closed and their successors inserted, or nothing (0: another write got in first). */
export async function writeEntities(wh: Warehouse, t: Tenant, w: EntitiesWrite & { expected: number; writeToken: string; now: Date }): Promise<number> {
  const write: LockedWrite = {
    tenant: t, expected: w.expected, writeToken: w.writeToken, now: w.now, insert: w.insert,
    close: { ids: w.close, set: 'end_date = @now, updated_at = @now, updated_by = @close_actor', params: { close_actor: w.actor } },
  };
  if (w.levelsCounter !== undefined) {
    const L = hierarchyRef(wh, 'org_hierarchy_levels');
    write.guard = {
      sql: `COALESCE((SELECT MAX(g.display_order) FROM ${L} AS g WHERE g.org_id = @org_id AND g.level_code = @lock_key), -1) = @levels_counter`,
      params: { levels_counter: w.levelsCounter },
    };
  }
  return lockedMerge(wh, SPEC, write);
}

export async function entitiesWriteCommitted(wh: Warehouse, t: Tenant, writeToken: string): Promise<boolean> {
  return lockCarries(wh, SPEC, t, writeToken);
}

/** For a level delete's statement: no current entity of the tenant is on `level`. */
export function noEntityOnLevel(wh: Warehouse, level: number): { sql: string; params: Record<string, ParamValue> } {
  return { sql: `NOT EXISTS (SELECT 1 FROM ${hierarchyRef(wh, TABLE)} AS e WHERE e.org_id = @org_id AND e.end_date IS NULL AND e.entity_id != @lock_key AND e.level = @guard_level)`, params: { guard_level: level } };
}
