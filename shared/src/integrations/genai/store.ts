import type { Row, TableSpec, Warehouse } from '../../warehouse/port.js';
import { orgTables } from '../../warehouse/schemas.js';
import { rowsAsSelect } from '../source-rows.js';
import type { FlowSpec, StoredRow } from './flows.js';

/**
 * The SQL of the GenAI price flows, keyed provider × identifier × region: all of
 * `genai_commitment_pricing` and `genai_infrastructure_pricing`, and the regional view of
 * `llm_model_pricing` (whose global, per-model view is pricing/store.ts: the same rows, the same
 * versioning, the same lock row, so creates through either route are serialised together).
 *
 * Versions: a row is in force from `effective_date` to `end_date` (NULL: open); the version in
 * force on a day is the covering row with the latest effective_date, then created_at. Each
 * table has one lock row (pricing_id '-lock-', ended before it began: no read finds it) that
 * every create touches, so creates run one after another on BigQuery (see
 * pricing/store.ts insertUnlessPriced for why that decides the race).
 */
const LOCK = '-lock-';
const specs = new Map<string, TableSpec>();
export function tableSpec(flow: FlowSpec): TableSpec {
  let s = specs.get(flow.table);
  if (!s) {
    s = orgTables().tables.find((t) => t.name === flow.table)!;
    specs.set(flow.table, s);
  }
  return s;
}
const columns = (flow: FlowSpec): string[] => tableSpec(flow).fields.map((f) => f.name);
const list = (flow: FlowSpec, alias?: string): string => columns(flow).map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

const IN_FORCE = `effective_date <= @as_of AND (end_date IS NULL OR end_date >= @as_of)`;
const newest = (flow: FlowSpec) => `QUALIFY ROW_NUMBER() OVER (PARTITION BY provider, ${flow.id.column}, COALESCE(region, 'global') ORDER BY effective_date DESC, created_at DESC, pricing_id DESC) = 1`;

function toRow(flow: FlowSpec, r: Row): StoredRow {
  const out: StoredRow = {};
  for (const f of tableSpec(flow).fields) out[f.name] = (r[f.name] ?? null) as StoredRow[string];
  out.revision = r.revision === null || r.revision === undefined ? null : Number(r.revision);
  return out;
}

export interface ListQuery { providers: readonly string[]; asOf: string; includeInactive: boolean; limit: number; offset: number }

/** A page of the flow's prices in force on `asOf` (one per key) and how many there are in all, in one query. */
export async function listInForce(wh: Warehouse, dataset: string, flow: FlowSpec, q: ListQuery): Promise<{ rows: StoredRow[]; total: number }> {
  const rows = await wh.query({
    sql: `SELECT ${list(flow)}, COUNT(*) OVER () AS total_rows FROM (
            SELECT ${list(flow)} FROM ${wh.table(dataset, flow.table)} WHERE provider IN UNNEST(@providers) AND ${IN_FORCE} ${newest(flow)}
          ) AS v WHERE @inactive OR COALESCE(status, 'active') NOT IN ('deleted', 'deprecated')
          ORDER BY provider, ${flow.id.column}, COALESCE(region, 'global') LIMIT @limit OFFSET @offset`,
    params: { providers: [...q.providers], as_of: q.asOf, inactive: q.includeInactive, limit: q.limit, offset: q.offset },
    types: { providers: { array: 'STRING' }, as_of: 'DATE' },
  });
  return { rows: rows.map((r) => toRow(flow, r)), total: rows.length ? Number(rows[0]!.total_rows) : 0 };
}

/** The newest version (ended or not) of each provider × region of an identifier: what a change starts from. */
export async function latestOfIdentifier(wh: Warehouse, dataset: string, flow: FlowSpec, a: { providers: readonly string[]; id: string }): Promise<StoredRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${list(flow)} FROM ${wh.table(dataset, flow.table)} WHERE provider IN UNNEST(@providers) AND ${flow.id.column} = @id ${newest(flow)}`,
    params: { providers: [...a.providers], id: a.id },
    types: { providers: { array: 'STRING' } },
  });
  return rows.map((r) => toRow(flow, r));
}

/** The newest version of the key (provider × identifier × region) that version `pricingId` belongs to. */
export async function latestOfVersionKey(wh: Warehouse, dataset: string, flow: FlowSpec, a: { providers: readonly string[]; pricingId: string }): Promise<StoredRow[]> {
  const table = wh.table(dataset, flow.table);
  const rows = await wh.query({
    sql: `SELECT ${list(flow, 't')} FROM ${table} AS t
          JOIN (SELECT provider, ${flow.id.column} AS id, COALESCE(region, 'global') AS rk FROM ${table} WHERE pricing_id = @pid AND provider IN UNNEST(@providers)) AS k
            ON t.provider = k.provider AND t.${flow.id.column} = k.id AND COALESCE(t.region, 'global') = k.rk
          WHERE TRUE
          QUALIFY ROW_NUMBER() OVER (PARTITION BY t.provider, t.${flow.id.column}, COALESCE(t.region, 'global') ORDER BY t.effective_date DESC, t.created_at DESC, t.pricing_id DESC) = 1`,
    params: { providers: [...a.providers], pid: a.pricingId },
    types: { providers: { array: 'STRING' } },
  });
  return rows.map((r) => toRow(flow, r));
}

/** A key's versions in force on `from` or later (after a create: its own row if it won). */
export async function keyVersionsFrom(wh: Warehouse, dataset: string, flow: FlowSpec, a: { provider: string; id: string; region: string; from: string }): Promise<StoredRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${list(flow)} FROM ${wh.table(dataset, flow.table)}
          WHERE provider = @provider AND ${flow.id.column} = @id AND COALESCE(region, 'global') = @region AND (end_date IS NULL OR end_date >= @from)
          ORDER BY effective_date, created_at`,
    params: { provider: a.provider, id: a.id, region: a.region, from: a.from },
    types: { from: 'DATE' },
  });
  return rows.map((r) => toRow(flow, r));
}

/** The lock row: every REQUIRED column filled, ended before it began. */
function lockRow(flow: FlowSpec, now: Date): StoredRow {
  const row: StoredRow = {};
  for (const f of tableSpec(flow).fields) {
    if (f.mode !== 'REQUIRED') continue;
    row[f.name] = f.type === 'BOOLEAN' || f.type === 'BOOL' ? false : f.type === 'NUMERIC' ? '0' : f.type === 'TIMESTAMP' ? now : f.type === 'INTEGER' || f.type === 'INT64' ? 0 : f.type === 'DATE' ? '1970-01-02' : LOCK;
  }
  return { ...row, pricing_id: LOCK, provider: LOCK, effective_date: '1970-01-02', end_date: '1970-01-01' };
}

/** Inserts the lock row unless there is one (insert-only: two first calls may both insert it; every create touches all). */
export async function ensureLock(wh: Warehouse, dataset: string, flow: FlowSpec, now: Date): Promise<void> {
  const src = rowsAsSelect(tableSpec(flow), [lockRow(flow, now)], 'l');
  const table = wh.table(dataset, flow.table);
  await wh.execute({
    sql: `INSERT INTO ${table} (${list(flow)}) SELECT ${list(flow, 's')} FROM (${src.sql}) AS s WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE pricing_id = @lock)`,
    params: { ...src.params, lock: LOCK },
    types: src.types,
  });
}

/**
 * Adds each row unless its key (provider × identifier × region) has a version in force on its
 * effective_date or later, in ONE MERGE that also touches the lock row (ensureLock first), so
 * concurrent creates and seeds of the table run one after another and each sees the one before.
 * Returns the rows inserted (the lock rows touched are not counted).
 */
export async function insertEachUnlessPriced(wh: Warehouse, dataset: string, flow: FlowSpec, rows: readonly StoredRow[], now: Date): Promise<number> {
  if (!rows.length) return 0;
  const table = wh.table(dataset, flow.table);
  const src = rowsAsSelect(tableSpec(flow), [...rows, lockRow(flow, now)], 's', (i) => ({ op: i < rows.length ? 'insert' : 'lock' }));
  const locks = await wh.query({ sql: `SELECT COUNT(*) AS n FROM ${table} WHERE pricing_id = @lock`, params: { lock: LOCK } });
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.*, NOT EXISTS (
              SELECT 1 FROM ${table} AS p
              WHERE p.provider = src.provider AND p.${flow.id.column} = src.${flow.id.column} AND COALESCE(p.region, 'global') = COALESCE(src.region, 'global')
                AND (p.end_date IS NULL OR p.end_date >= src.effective_date)
            ) AS fresh
            FROM (${src.sql}) AS src
          ) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND S.op = 'lock' THEN UPDATE SET updated_at = S.updated_at
          WHEN NOT MATCHED AND S.op = 'insert' AND S.fresh THEN INSERT (${list(flow)}) VALUES (${list(flow, 'S')})`,
    params: src.params,
    types: src.types,
  });
  return Math.max(0, affectedRows - Number(locks[0]?.n ?? 0));
}

export interface VersionWrite { row: StoredRow; op: 'insert' | 'update' }

/**
 * A change's versions in one MERGE, written only if every version it read is still at the
 * revision it read (else 0: the caller answers 409); as pricing/store.ts writeVersions, for any
 * flow's table. Returns the rows written.
 */
export async function writeVersions(wh: Warehouse, dataset: string, flow: FlowSpec, writes: readonly VersionWrite[], read: readonly StoredRow[]): Promise<number> {
  if (!writes.length) return 0;
  const table = wh.table(dataset, flow.table);
  const src = rowsAsSelect(tableSpec(flow), writes.map((w) => ({ ...w.row })), 's', (i) => ({ op: writes[i]!.op }));
  const fixed = new Set(['pricing_id', 'provider', flow.id.column, 'created_at', 'revision']);
  const keys = [...new Set(read.map((v) => `${String(v.pricing_id)}#${Number(v.revision ?? 0)}`))];
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.* FROM (${src.sql}) AS src
            WHERE (SELECT COUNT(*) FROM ${table} AS r WHERE CONCAT(r.pricing_id, '#', CAST(COALESCE(r.revision, 0) AS STRING)) IN UNNEST(@read_keys)) = @read_count
          ) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND S.op = 'update' THEN UPDATE SET ${columns(flow).filter((c) => !fixed.has(c)).map((c) => `${c} = S.${c}`).join(', ')}, revision = COALESCE(T.revision, 0) + 1
          WHEN NOT MATCHED AND S.op = 'insert' THEN INSERT (${list(flow)}) VALUES (${list(flow, 'S')})`,
    params: { ...src.params, read_keys: keys, read_count: keys.length },
    types: { ...src.types, read_keys: { array: 'STRING' } },
  });
  return affectedRows;
}
