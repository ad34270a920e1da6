import { randomUUID } from 'node:crypto';
import { paramTypeFor, type InsertRow } from '../../warehouse/dml.js';
import type { ParamType, ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { Tenant } from '../../orgs/identity.js';
import { budgetColumns, budgetFields, budgetsRef } from '../tables.js';
import type { Budget, Threshold } from './fields.js';

/**
 * The one owner of `organizations.org_budgets` SQL. One row per budget, changed in place by DML,
 * plus the tenant's lock row (budget_id '-lock-'): `revision` counts the tenant's writes and
 * `write_token` holds the last one's token.
 *
 * Every create, update and allocation is ONE MERGE that also updates the lock row. BigQuery has
 * no unique constraints and does not serialise insert-only statements, but statements that
 * modify rows of one table conflict: one of two fails with "could not serialize" and the adapter
 * reruns it on a fresh snapshot, where its guard (no duplicate; the revision read) sees the
 * other's rows. The affected-row count says whether it applied. Reads filter on org_id.
 */
export const LOCK = '-lock-';

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const ts = (v: unknown): string => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

function thresholdsOf(v: unknown): Threshold[] {
  const parsed = typeof v === 'string' ? JSON.parse(v) : v;
  return Array.isArray(parsed) ? parsed.map((t) => ({ percent: Number(t.percent), of: t.of === 'forecast' ? 'forecast' : 'actual' })) : [];
}

function toBudget(r: Row): Budget {
  return {
    budget_id: String(r.budget_id), org_slug: String(r.org_slug),
    hierarchy_entity_id: str(r.hierarchy_entity_id), hierarchy_entity_name: str(r.hierarchy_entity_name), hierarchy_path: str(r.hierarchy_path), hierarchy_level_code: str(r.hierarchy_level_code),
    category: String(r.category) as Budget['category'], budget_type: String(r.budget_type) as Budget['budget_type'], budget_amount: String(r.budget_amount), currency: String(r.currency),
    period_type: String(r.period_type) as Budget['period_type'], period_start: String(r.period_start).slice(0, 10), period_end: String(r.period_end).slice(0, 10),
    recurring: Boolean(r.recurring), fiscal_year_start_month: r.fiscal_year_start_month === null || r.fiscal_year_start_month === undefined ? 1 : Number(r.fiscal_year_start_month),
    provider: str(r.provider), thresholds: thresholdsOf(r.thresholds), notes: str(r.notes), is_active: Boolean(r.is_active), revision: Number(r.revision),
    allocation_parent_id: str(r.allocation_parent_id), allocation_percent: str(r.allocation_percent),
    created_at: ts(r.created_at), created_by: str(r.created_by), updated_at: ts(r.updated_at), updated_by: str(r.updated_by),
  };
}

/** The stored row of a budget (id = budget_id). */
export function budgetRow(t: Tenant, b: Budget, writeToken: string | null): InsertRow {
  return {
    ...b, id: b.budget_id, org_slug: t.orgSlug, org_id: t.orgId, thresholds: JSON.stringify(b.thresholds), write_token: writeToken,
    created_at: new Date(b.created_at), updated_at: new Date(b.updated_at),
  };
}

/** The tenant's budgets (never the lock row), oldest first. */
export async function listBudgets(wh: Warehouse, t: Tenant): Promise<Budget[]> {
  const rows = await wh.query({
    sql: `SELECT ${budgetColumns().join(', ')} FROM ${budgetsRef(wh)} WHERE org_slug = @org AND org_id = @org_id AND budget_id != @lock ORDER BY created_at, budget_id`,
    params: { org: t.orgSlug, org_id: t.orgId, lock: LOCK },
  });
  return rows.map(toBudget);
}

export async function getBudget(wh: Warehouse, t: Tenant, budgetId: string): Promise<Budget | null> {
  const rows = await wh.query({
    sql: `SELECT ${budgetColumns().join(', ')} FROM ${budgetsRef(wh)} WHERE org_slug = @org AND org_id = @org_id AND budget_id = @id AND budget_id != @lock`,
    params: { org: t.orgSlug, org_id: t.orgId, id: budgetId, lock: LOCK },
  });
  return rows.length ? toBudget(rows[0]!) : null;
}

function lockRow(t: Tenant, now: Date): InsertRow {
  return {
    id: `${LOCK}${randomUUID()}`, budget_id: LOCK, org_slug: t.orgSlug, org_id: t.orgId, hierarchy_entity_id: null, hierarchy_entity_name: 'write lock (see shared/src/budgets/budgets/store.ts)',
    hierarchy_path: null, hierarchy_level_code: null, category: 'total', budget_type: 'monetary', budget_amount: '0', currency: 'XXX', period_type: 'custom',
    period_start: '1970-01-02', period_end: '1970-01-01', recurring: false, fiscal_year_start_month: null, provider: null, thresholds: '[]', notes: null, is_active: false,
    revision: 0, write_token: null, allocation_parent_id: null, allocation_percent: null, created_at: now, created_by: null, updated_at: now, updated_by: null,
  };
}

function selectRow(row: InsertRow, prefix: string, params: Record<string, ParamValue>, types: Record<string, ParamType>): string {
  const fields = budgetFields();
  return `SELECT ${budgetColumns().map((c) => {
    params[`${prefix}${c}`] = row[c] ?? null;
    types[`${prefix}${c}`] = paramTypeFor(fields.get(c)!);
    return `@${prefix}${c} AS ${c}`;
  }).join(', ')}`;
}

/** Inserts the tenant's lock row unless there is one (insert-only: two at once may both insert; every statement uses the smallest id). */
export async function ensureBudgetsLock(wh: Warehouse, t: Tenant, now: Date): Promise<void> {
  const T = budgetsRef(wh);
  const params: Record<string, ParamValue> = { org_id: t.orgId, lock: LOCK };
  const types: Record<string, ParamType> = {};
  await wh.execute({
    sql: `INSERT INTO ${T} (${budgetColumns().join(', ')}) SELECT ${budgetColumns().join(', ')} FROM (${selectRow(lockRow(t, now), 'l_', params, types)}) AS x
          WHERE NOT EXISTS (SELECT 1 FROM ${T} AS m WHERE m.org_id = @org_id AND m.budget_id = @lock)`,
    params,
    types,
  });
}

/** Another active budget of the tenant with the same entity, category, provider and period as `x`. */
const duplicateOf = (T: string, x: string) => `EXISTS (SELECT 1 FROM ${T} AS o WHERE o.org_id = @org_id AND o.budget_id != @lock AND o.budget_id != ${x}.budget_id AND o.is_active
  AND COALESCE(o.hierarchy_entity_id, '') = COALESCE(${x}.hierarchy_entity_id, '') AND o.category = ${x}.category AND COALESCE(o.provider, '') = COALESCE(${x}.provider, '')
  AND o.period_type = ${x}.period_type AND o.period_start = ${x}.period_start AND o.period_end = ${x}.period_end)`;

export interface BudgetWrite {
  tenant: Tenant;
  now: Date;
  writeToken: string;
  /** New budgets (each refused, with the whole statement, when an active duplicate exists). */
  insert?: readonly Budget[];
  /** Budgets replacing their stored row, each only while its stored revision is `expected`. */
  replace?: readonly { budget: Budget; expected: number }[];
  /** A further condition of the whole statement. */
  guard?: { sql: string; params?: Record<string, ParamValue>; types?: Record<string, ParamType> };
}

/**
 * ONE MERGE: the lock row is bumped and every given row is inserted or replaced, or nothing is
 * (all or nothing). Applies only when no active budget of the same entity, category, provider
 * and period exists beside any new or changed active row, every replaced row still has the
 * revision read (or carries this write's token: an engine re-reading its source mid-statement
 * must not drop its own rows), and `guard` holds. Returns the rows affected: 0 = refused.
 */
export async function budgetMerge(wh: Warehouse, w: BudgetWrite): Promise<number> {
  const T = budgetsRef(wh);
  const cols = budgetColumns();
  const params: Record<string, ParamValue> = { org_id: w.tenant.orgId, lock: LOCK, write_token: w.writeToken, now: w.now, ...w.guard?.params };
  const types: Record<string, ParamType> = { ...w.guard?.types };
  const given = [
    ...(w.insert ?? []).map((b) => ({ kind: 'new', row: budgetRow(w.tenant, b, w.writeToken), expected: null as number | null })),
    ...(w.replace ?? []).map((r) => ({ kind: 'replace', row: budgetRow(w.tenant, r.budget, w.writeToken), expected: r.expected })),
  ];
  const rows = given.map((g, i) => {
    params[`e${i}`] = g.expected ?? -1;
    return `SELECT '${g.kind}' AS kind, ${g.kind === 'new' ? 'CAST(NULL AS STRING)' : `@r${i}_id`} AS match_id, @e${i} AS expected, ${selectRow(g.row, `r${i}_`, params, types).slice('SELECT '.length)}`;
  });
  const source = rows.length ? `(${rows.join(' UNION ALL ')})` : `(SELECT 'none' AS kind, CAST(NULL AS STRING) AS match_id, -1 AS expected, ${cols.map((c) => `CAST(NULL AS ${sqlType(c)}) AS ${c}`).join(', ')} LIMIT 0)`;
  const minLock = `(SELECT MIN(m.id) FROM ${T} AS m WHERE m.org_id = @org_id AND m.budget_id = @lock)`;
  // Every condition over the whole given set: one failing refuses the statement.
  const ok = [
    `EXISTS (SELECT 1 FROM ${T} AS k WHERE k.id = ${minLock})`,
    `NOT EXISTS (SELECT 1 FROM ${source} AS g WHERE g.is_active AND ${duplicateOf(T, 'g')})`,
    `NOT EXISTS (SELECT 1 FROM ${source} AS g WHERE g.kind = 'replace' AND NOT EXISTS (SELECT 1 FROM ${T} AS c WHERE c.id = g.match_id AND c.org_id = @org_id AND (c.revision = g.expected OR c.write_token = @write_token)))`,
    ...(w.guard ? [`(${w.guard.sql})`] : []),
  ].join(' AND ');
  const settable = cols.filter((c) => c !== 'id' && c !== 'created_at' && c !== 'created_by');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT 'lock' AS kind, l.id AS match_id, ${cols.map((c) => `l.${c}`).join(', ')} FROM ${T} AS l WHERE l.id = ${minLock} AND ${ok}
            UNION ALL
            SELECT x.kind, x.match_id, ${cols.map((c) => `x.${c}`).join(', ')} FROM ${source} AS x WHERE ${ok}
          ) AS s
          ON t.id = s.match_id
          WHEN MATCHED AND s.kind = 'lock' THEN UPDATE SET revision = t.revision + 1, write_token = @write_token, updated_at = @now
          WHEN MATCHED AND s.kind = 'replace' THEN UPDATE SET ${settable.map((c) => `${c} = s.${c}`).join(', ')}
          WHEN NOT MATCHED AND s.kind = 'new' THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`,
    params,
    types,
  });
  return affectedRows;
}

function sqlType(c: string): string {
  const t = budgetFields().get(c)!.type;
  return t === 'INTEGER' ? 'INT64' : t === 'BOOLEAN' ? 'BOOL' : t;
}

/** After a MERGE whose answer was lost: whether the lock row carries this write's token (it committed). */
export async function budgetWriteLanded(wh: Warehouse, t: Tenant, writeToken: string): Promise<boolean> {
  const T = budgetsRef(wh);
  const rows = await wh.query({
    sql: `SELECT k.write_token AS token FROM ${T} AS k WHERE k.id = (SELECT MIN(m.id) FROM ${T} AS m WHERE m.org_id = @org_id AND m.budget_id = @lock)`,
    params: { org_id: t.orgId, lock: LOCK },
  });
  return rows[0]?.token === writeToken;
}

/** Deletes one budget of the tenant (and the allocations made from it keep their rows, unlinked by the caller's read). Returns the rows deleted. */
export async function deleteBudget(wh: Warehouse, t: Tenant, budgetId: string): Promise<number> {
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${budgetsRef(wh)} WHERE org_id = @org_id AND org_slug = @org AND budget_id = @id AND budget_id != @lock`,
    params: { org_id: t.orgId, org: t.orgSlug, id: budgetId, lock: LOCK },
  });
  return affectedRows;
}
