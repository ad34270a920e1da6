import { paramTypeFor, type InsertRow } from '../warehouse/dml.js';
import type { ParamType, ParamValue, Row, Warehouse } from '../warehouse/port.js';
import type { Tenant } from '../orgs/identity.js';
import { hierarchyColumns, hierarchyFields, hierarchyRef, type HierarchyTable } from './tables.js';

/**
 * The one deciding statement of both hierarchy tables (used only by their stores, which own
 * what goes in it).
 *
 * Each tenant has a lock row in each table (`lockKey` = '-lock-'), with a write counter and the
 * token of the last write. A write reads the tenant's whole state with the counter, decides in
 * code, and sends ONE MERGE that applies everything (versions closed, rows inserted, updated or
 * deleted) only while the counter is still the one it read, and bumps it. Why that holds on
 * BigQuery without unique constraints or transactions: the MERGE is atomic (all of it or none),
 * and it modifies an existing row (the lock row), so concurrent MERGEs of the table conflict and
 * run one after another (a loser fails with "could not serialize"; the adapter reruns it on a
 * fresh snapshot, where the counter has moved and the source is empty: 0 rows). Two insert-only
 * statements would never conflict; this one always touches the lock row.
 *
 * The condition also accepts the lock row already carrying THIS write's token: an engine that
 * reads the source while applying the update (DuckDB may) must not drop the rest of its own
 * statement. No other statement can write that token (it is new per call). The token is set
 * before the counter, so a reader that sees the counter moved also sees the token.
 *
 * Two first writes at once may each insert a lock row (insert-only). So the counter is the
 * largest over the tenant's lock rows, and every write sets ALL of them: a write that saw one lock
 * row and a later one that sees both then touch a common row (they conflict, and the rerun sees
 * the counter moved) or the later one reads the larger counter. Using only the smallest lock row
 * let a second lock row, committed after a first write had bumped the other, accept a second write
 * of the same counter (five concurrent first PUTs of allocation rules made two versions).
 */
export interface LockSpec {
  table: HierarchyTable;
  /** The column that marks the lock row and its value. */
  keyColumn: string;
  /** The INTEGER column counting writes and the STRING column holding the last write's token, on the lock row. */
  counter: string;
  token: string;
}

export const LOCK_KEY = '-lock-';

export interface LockedWrite {
  tenant: Tenant;
  /** The counter as read: the MERGE applies only while it is unchanged. */
  expected: number;
  /** This write's token (a new uuid), read back when the answer is lost. */
  writeToken: string;
  now: Date;
  /** Row ids closed with `closeSet` (entities: end_date). */
  close?: { ids: readonly string[]; set: string; params?: Record<string, ParamValue>; types?: Record<string, ParamType> };
  /** Row ids deleted. */
  remove?: readonly string[];
  /** Whole rows replacing the row of the same id. */
  replace?: readonly InsertRow[];
  /** New rows. */
  insert?: readonly InsertRow[];
  /** Further conditions the whole statement needs (e.g. no entity uses a level), with their parameters. */
  guard?: { sql: string; params?: Record<string, ParamValue>; types?: Record<string, ParamType> };
}

const isLock = (alias: string, s: LockSpec) => `${alias}.org_id = @org_id AND ${alias}.${s.keyColumn} = @lock_key`;

/** The tenant's lock counter from its lock rows as read (null: none yet): the largest (see above). */
export function counterOf(locks: readonly Row[], counter: string): number | null {
  return locks.length ? Math.max(...locks.map((r) => Number(r[counter]))) : null;
}

/** Returns the rows affected: 0 = the counter had moved (nothing written), else every row it wrote plus the lock row. */
export async function lockedMerge(wh: Warehouse, s: LockSpec, w: LockedWrite): Promise<number> {
  const T = hierarchyRef(wh, s.table);
  const cols = hierarchyColumns(s.table);
  const fields = hierarchyFields(s.table);
  const params: Record<string, ParamValue> = { org_id: w.tenant.orgId, lock_key: LOCK_KEY, expected: w.expected, write_token: w.writeToken, now: w.now, ...w.close?.params, ...w.guard?.params };
  const types: Record<string, ParamType> = { ...w.close?.types, ...w.guard?.types };
  const ok = `(COALESCE((SELECT MAX(k.${s.counter}) FROM ${T} AS k WHERE ${isLock('k', s)}), -1) = @expected OR EXISTS (SELECT 1 FROM ${T} AS j WHERE ${isLock('j', s)} AND j.${s.token} = @write_token))${w.guard ? ` AND (${w.guard.sql})` : ''}`;
  const fromTable = (kind: string, ids: string) => `SELECT '${kind}' AS kind, c.id AS match_id, ${cols.map((c) => `c.${c}`).join(', ')} FROM ${T} AS c WHERE c.id IN UNNEST(@${ids}) AND c.org_id = @org_id AND ${ok}`;
  const parts = [`SELECT 'lock' AS kind, l.id AS match_id, ${cols.map((c) => `l.${c}`).join(', ')} FROM ${T} AS l WHERE ${isLock('l', s)} AND ${ok}`];
  if (w.close?.ids.length) { params.close_ids = [...w.close.ids]; types.close_ids = { array: 'STRING' }; parts.push(fromTable('close', 'close_ids')); }
  if (w.remove?.length) { params.remove_ids = [...w.remove]; types.remove_ids = { array: 'STRING' }; parts.push(fromTable('remove', 'remove_ids')); }
  const given = [...(w.insert ?? []).map((r) => ['new', r] as const), ...(w.replace ?? []).map((r) => ['replace', r] as const)];
  if (given.length) {
    const rows = given.map(([kind, row], i) => `SELECT '${kind}' AS kind, ${kind === 'new' ? 'CAST(NULL AS STRING)' : `@r${i}_id`} AS match_id, ${cols.map((c) => {
      const f = fields.get(c)!;
      params[`r${i}_${c}`] = row[c] ?? (f.mode === 'REPEATED' ? [] : null);
      types[`r${i}_${c}`] = paramTypeFor(f);
      return `@r${i}_${c} AS ${c}`;
    }).join(', ')}`);
    parts.push(`SELECT x.kind, x.match_id, ${cols.map((c) => `x.${c}`).join(', ')} FROM (${rows.join(' UNION ALL ')}) AS x WHERE ${ok}`);
  }
  const settable = cols.filter((c) => c !== 'id');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (${parts.join('\n            UNION ALL ')}) AS s
          ON t.id = s.match_id
          WHEN MATCHED AND s.kind = 'lock' THEN UPDATE SET ${s.token} = @write_token, ${s.counter} = @expected + 1, updated_at = @now
          ${w.close?.ids.length ? `WHEN MATCHED AND s.kind = 'close' THEN UPDATE SET ${w.close.set}` : ''}
          ${w.replace?.length ? `WHEN MATCHED AND s.kind = 'replace' THEN UPDATE SET ${settable.map((c) => `${c} = s.${c}`).join(', ')}` : ''}
          ${w.remove?.length ? `WHEN MATCHED AND s.kind = 'remove' THEN DELETE` : ''}
          ${w.insert?.length ? `WHEN NOT MATCHED AND s.kind = 'new' THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})` : ''}`,
    params,
    types,
  });
  // All of the statement or none: anything between means the engine evaluated part of the
  // source after the lock row had changed (BigQuery cannot; an engine that streams the source
  // through its own update might). Said loudly rather than answered as success.
  // (The lock rows are one, or a few after a first-write race: at least one.)
  const rest = (w.close?.ids.length ?? 0) + (w.remove?.length ?? 0) + (w.replace?.length ?? 0) + (w.insert?.length ?? 0);
  if (affectedRows !== 0 && affectedRows < rest + 1) throw new Error(`${s.table}: the locked MERGE changed ${affectedRows} rows, not 0 or its ${rest} and the lock`);
  return affectedRows;
}

/** After a MERGE whose answer was lost: whether the lock row carries this write's token (it committed). */
export async function lockCarries(wh: Warehouse, s: LockSpec, tenant: Tenant, writeToken: string): Promise<boolean> {
  const T = hierarchyRef(wh, s.table);
  const rows = await wh.query({ sql: `SELECT k.${s.token} AS token FROM ${T} AS k WHERE ${isLock('k', s)}`, params: { org_id: tenant.orgId, lock_key: LOCK_KEY } });
  return rows.some((r) => r.token === writeToken);
}

/** Inserts the tenant's lock row unless there is one (insert-only: two at once may both insert; see above). */
export async function ensureLock(wh: Warehouse, s: LockSpec, tenant: Tenant, row: InsertRow): Promise<void> {
  const T = hierarchyRef(wh, s.table);
  const cols = hierarchyColumns(s.table);
  const fields = hierarchyFields(s.table);
  const params: Record<string, ParamValue> = { org_id: tenant.orgId, lock_key: LOCK_KEY };
  const types: Record<string, ParamType> = {};
  const select = cols.map((c) => {
    const f = fields.get(c)!;
    params[`l_${c}`] = row[c] ?? (f.mode === 'REPEATED' ? [] : null);
    types[`l_${c}`] = paramTypeFor(f);
    return `@l_${c} AS ${c}`;
  }).join(', ');
  await wh.execute({
    sql: `INSERT INTO ${T} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM (SELECT ${select}) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T} AS m WHERE m.org_id = @org_id AND m.${s.keyColumn} = @lock_key)`,
    params,
    types,
  });
}
