import { randomUUID } from 'node:crypto';
import { insertRows, paramTypeFor, type InsertRow } from '../../warehouse/dml.js';
import type { ParamType, ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import type { BillingCycle, DiscountType, PricingModel } from '../cost.js';
import { orgColumns, orgRef, orgSpec } from '../tables.js';

/**
 * The one owner of `{org}_prod.saas_subscription_plans` SQL. One row is one version of a plan;
 * the versions of a plan share `plan_id`. Rows are written by DML (never streamed: they are
 * updated later) and never deleted: ending a plan sets its end date, a price change adds a version.
 *
 * Every UPDATE bumps `revision`, which edit-version compares and sets (see `supersede`).
 */
const TABLE = 'saas_subscription_plans';
/** provider, plan_id and plan_name of the lock row (see ensurePlansLock). */
const LOCK = '-lock-';

export interface PlanRow {
  org_slug: string;
  subscription_id: string;
  plan_id: string;
  version: number;
  superseded_by: string | null;
  revision: number;
  provider: string;
  plan_name: string;
  display_name: string | null;
  category: string;
  is_enabled: boolean;
  start_date: string;
  end_date: string | null;
  cancelled_at: string | null;
  billing_cycle: BillingCycle;
  currency: string;
  seats: number;
  pricing_model: PricingModel;
  unit_price: string;
  yearly_price: string | null;
  discount_type: DiscountType | null;
  discount_value: string | null;
  auto_renew: boolean;
  payment_method: string | null;
  invoice_id_last: string | null;
  owner_email: string | null;
  department: string | null;
  renewal_date: string | null;
  contract_id: string | null;
  notes: string | null;
  catalog_plan_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string | null;
  /** Cost allocation and conversion details the web app sends; stored and shown, never priced. */
  hierarchy_entity_id: string | null;
  hierarchy_entity_name: string | null;
  hierarchy_level_code: string | null;
  hierarchy_path: string | null;
  hierarchy_path_names: string[];
  source_currency: string | null;
  source_price: string | null;
  exchange_rate_used: string | null;
  billing_anchor_day: number | null;
}

/** The web app's allocation and conversion details, none given. */
export const NO_DETAILS = {
  hierarchy_entity_id: null, hierarchy_entity_name: null, hierarchy_level_code: null, hierarchy_path: null, hierarchy_path_names: [] as string[],
  source_currency: null, source_price: null, exchange_rate_used: null, billing_anchor_day: null,
} satisfies Partial<PlanRow>;

/** A new row: every column but the audit timestamps' defaults, as the verb decided them. */
export type NewPlanRow = Omit<PlanRow, 'created_at' | 'updated_at' | 'cancelled_at' | 'superseded_by' | 'revision'> & { now: Date };

let columns: string[] | undefined;
const COLUMNS = (): string[] => (columns ??= orgColumns(TABLE));

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRow(r: Row): PlanRow {
  const out: Record<string, unknown> = {};
  for (const c of COLUMNS()) out[c] = r[c] ?? null;
  return {
    ...(out as unknown as PlanRow),
    version: Number(r.version),
    revision: Number(r.revision),
    seats: Number(r.seats),
    is_enabled: Boolean(r.is_enabled),
    auto_renew: Boolean(r.auto_renew),
    unit_price: String(r.unit_price),
    yearly_price: text(r.yearly_price),
    discount_value: text(r.discount_value),
    hierarchy_path_names: Array.isArray(r.hierarchy_path_names) ? r.hierarchy_path_names.map(String) : [],
    source_price: text(r.source_price),
    exchange_rate_used: text(r.exchange_rate_used),
    billing_anchor_day: r.billing_anchor_day === null || r.billing_anchor_day === undefined ? null : Number(r.billing_anchor_day),
  };
}

/** Every version of the org's plans, or of one provider's, in one query (never the lock row); oldest version first within a plan. */
export async function listPlans(wh: Warehouse, dataset: string, filter: { provider?: string } = {}): Promise<PlanRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${COLUMNS().join(', ')} FROM ${orgRef(wh, dataset, TABLE)} WHERE provider != @lock${filter.provider ? ' AND provider = @provider' : ''}
          ORDER BY provider, plan_name, plan_id, version`,
    params: { lock: LOCK, ...(filter.provider ? { provider: filter.provider } : {}) },
  });
  return rows.map(toRow);
}

/** The stored form of a new row (all columns, NULL where absent). */
function stored(row: NewPlanRow): InsertRow {
  const { now, ...rest } = row;
  return { ...rest, superseded_by: null, revision: 0, cancelled_at: null, created_at: now, updated_at: now };
}

/** `SELECT @p_col AS col, ...` of one row, every parameter typed from the schema file. */
function selectRow(row: InsertRow, prefix: string, params: Record<string, ParamValue>, types: Record<string, ParamType>): string {
  const fields = new Map(orgSpec(TABLE).fields.map((f) => [f.name, f]));
  return `SELECT ${COLUMNS().map((c) => {
    params[`${prefix}${c}`] = row[c] ?? null;
    types[`${prefix}${c}`] = paramTypeFor(fields.get(c)!);
    return `@${prefix}${c} AS ${c}`;
  }).join(', ')}`;
}

/** Another enabled, not cancelled plan of the same provider and name whose dates overlap `s`'s. */
const OVERLAPPING = (s: string) => `EXISTS (SELECT 1 FROM {T} AS o WHERE o.provider = ${s}.provider AND o.plan_name = ${s}.plan_name
  AND o.plan_id != ${s}.plan_id AND o.is_enabled AND o.cancelled_at IS NULL
  AND o.start_date <= COALESCE(${s}.end_date, DATE '9999-12-31') AND COALESCE(o.end_date, DATE '9999-12-31') >= ${s}.start_date)`;

/**
 * The lock row (provider '-lock-', disabled, cancelled, ended before it began; listPlans never
 * answers it): every insert that must see the inserts before it (create, the catalog seed) also
 * touches it, in the same MERGE. BigQuery does not serialise insert-only statements (two "insert
 * unless there is one" would both insert), but it does serialise statements that modify rows of
 * one table: one of two such MERGEs fails with "could not serialize" and the adapter reruns it
 * on a fresh snapshot, where it sees the other's row. Each lock row has an id of its own, so a
 * MERGE touches exactly one of them (the smallest id) and its affected-row count stays exact.
 */
function lockRow(now: Date): InsertRow {
  return {
    org_slug: LOCK, subscription_id: `${LOCK}${randomUUID()}`, plan_id: LOCK, version: 0, superseded_by: null, revision: 0, provider: LOCK, plan_name: LOCK,
    display_name: 'insert lock (see shared/src/saas/plans/store.ts)', category: 'other', is_enabled: false, start_date: '1970-01-02', end_date: '1970-01-01',
    cancelled_at: now, billing_cycle: 'monthly', currency: 'USD', seats: 0, pricing_model: 'FLAT_FEE', unit_price: '0', yearly_price: null,
    discount_type: null, discount_value: null, auto_renew: false, payment_method: null, invoice_id_last: null, owner_email: null, department: null,
    renewal_date: null, contract_id: null, notes: null, catalog_plan_id: null, created_by: null, created_at: now, updated_at: now,
    ...NO_DETAILS,
  };
}

/**
 * Inserts the lock row unless there is one. Insert-only, so two first calls at once may both
 * insert one: harmless (a MERGE touches the one with the smallest id). Must have completed
 * before the deciding MERGE starts.
 */
export async function ensurePlansLock(wh: Warehouse, dataset: string, now: Date): Promise<void> {
  const T = orgRef(wh, dataset, TABLE);
  const params: Record<string, ParamValue> = { lock: LOCK };
  const types: Record<string, ParamType> = {};
  await wh.execute({
    sql: `INSERT INTO ${T} (${COLUMNS().join(', ')})
          SELECT ${COLUMNS().join(', ')} FROM (${selectRow(lockRow(now), 'l_', params, types)}) AS s
          WHERE NOT EXISTS (SELECT 1 FROM ${T} WHERE provider = @lock)`,
    params,
    types,
  });
}

/**
 * Inserts `rows`, each only where `guard(alias)` holds, in ONE MERGE that also touches the lock
 * row when it inserts anything (see LOCK): concurrent callers are run one after another, and
 * each sees the rows of those before it. Returns how many rows went in.
 */
async function insertSerialised(wh: Warehouse, dataset: string, rows: readonly InsertRow[], guard: (alias: string) => string, extra: { params: Record<string, ParamValue>; types: Record<string, ParamType> }, now: Date): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  const params: Record<string, ParamValue> = { ...extra.params, lock: LOCK, lock_now: now };
  const types: Record<string, ParamType> = { ...extra.types };
  const union = rows.map((r, i) => selectRow(r, `r${i}_`, params, types)).join(' UNION ALL ');
  const cols = COLUMNS();
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT 'new' AS kind, CAST(NULL AS STRING) AS match_id, ${cols.map((c) => `x.${c}`).join(', ')} FROM (${union}) AS x
            WHERE ${guard('x')} AND EXISTS (SELECT 1 FROM ${T} AS l WHERE l.provider = @lock)
            UNION ALL
            (SELECT 'lock' AS kind, (SELECT MIN(l.subscription_id) FROM ${T} AS l WHERE l.provider = @lock) AS match_id, ${cols.map((c) => `x.${c}`).join(', ')}
             FROM (${union}) AS x WHERE ${guard('x')} LIMIT 1)
          ) AS s
          ON t.subscription_id = s.match_id
          WHEN MATCHED AND s.kind = 'lock' THEN UPDATE SET updated_at = @lock_now
          WHEN NOT MATCHED AND s.kind = 'new' THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})`,
    params,
    types,
  });
  // Inserted rows and the one lock row (touched only when something went in). Without a lock
  // row nothing is inserted (it could not be decided), so the count never misreads.
  return Math.max(0, affectedRows - 1);
}

/**
 * Inserts a new plan unless an enabled plan of the same name and provider overlaps its dates,
 * decided by one serialised MERGE (insertSerialised): of concurrent creates of one name and
 * overlapping dates exactly one inserts. 0 = refused. ensurePlansLock must have run first.
 */
export async function insertPlan(wh: Warehouse, dataset: string, row: NewPlanRow): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  return insertSerialised(wh, dataset, [stored(row)], (x) => `(NOT ${x}.is_enabled OR NOT ${OVERLAPPING(x).replaceAll('{T}', T)})`, { params: {}, types: {} }, row.now);
}

/**
 * Reset's one statement: the catalog copies (`rows`) go in and every other plan of the provider
 * still open after `endDate` ends on it, in ONE MERGE that also touches the lock row. Atomic (a
 * failure half-way leaves neither), and serialised with every other reset, create and seed: of
 * concurrent resets the last one's copies stay open and the others' are ended, so exactly one
 * copy of each catalog plan is open (two resets in separate statements each ended the other's
 * copies, leaving none). ensurePlansLock must have run first. Returns the versions ended.
 */
export async function replaceWithCatalog(wh: Warehouse, dataset: string, a: { provider: string; rows: readonly NewPlanRow[]; endDate: string; now: Date }): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  const params: Record<string, ParamValue> = { lock: LOCK, provider: a.provider, end_date: a.endDate, now: a.now };
  const types: Record<string, ParamType> = { end_date: 'DATE' };
  const cols = COLUMNS();
  const union = [...a.rows.map(stored), lockRow(a.now)].map((r, i) => selectRow(r, `c${i}_`, params, types)).join(' UNION ALL ');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT IF(x.provider = @lock, 'lock', 'new') AS kind,
              IF(x.provider = @lock, (SELECT MIN(l.subscription_id) FROM ${T} AS l WHERE l.provider = @lock), CAST(NULL AS STRING)) AS match_id,
              ${cols.map((c) => `x.${c}`).join(', ')}
            FROM (${union}) AS x
          ) AS s
          ON t.subscription_id = s.match_id
          WHEN MATCHED AND s.kind = 'lock' THEN UPDATE SET updated_at = @now
          WHEN NOT MATCHED BY TARGET AND s.kind = 'new' THEN INSERT (${cols.join(', ')}) VALUES (${cols.map((c) => `s.${c}`).join(', ')})
          WHEN NOT MATCHED BY SOURCE AND t.provider = @provider AND (t.end_date IS NULL OR t.end_date > @end_date)
            THEN UPDATE SET end_date = @end_date, cancelled_at = COALESCE(t.cancelled_at, @now), revision = t.revision + 1, updated_at = @now`,
    params,
    types,
  });
  // The copies, the lock row, and the versions ended.
  return Math.max(0, affectedRows - a.rows.length - 1);
}

/** Whether a version is stored (after a MERGE whose answer was lost). */
export async function planStored(wh: Warehouse, dataset: string, subscriptionId: string): Promise<boolean> {
  const rows = await wh.query({ sql: `SELECT subscription_id FROM ${orgRef(wh, dataset, TABLE)} WHERE subscription_id = @id`, params: { id: subscriptionId } });
  return rows.length > 0;
}

/**
 * Seeds catalog plans (disabled) in one serialised MERGE, skipping each whose name the provider
 * already has open (not cancelled, not ended before today): enabling twice, or twenty times at
 * once, seeds nothing twice. ensurePlansLock must have run first.
 */
export async function seedPlans(wh: Warehouse, dataset: string, rows: readonly NewPlanRow[], today: string): Promise<number> {
  if (!rows.length) return 0;
  const T = orgRef(wh, dataset, TABLE);
  return insertSerialised(wh, dataset, rows.map(stored), (x) => `NOT EXISTS (SELECT 1 FROM ${T} AS o WHERE o.provider = ${x}.provider AND o.plan_name = ${x}.plan_name
            AND o.plan_id NOT IN UNNEST(@seed_plan_ids) AND o.cancelled_at IS NULL AND (o.end_date IS NULL OR o.end_date >= @today))`,
  { params: { today, seed_plan_ids: rows.map((r) => r.plan_id) }, types: { today: 'DATE', seed_plan_ids: { array: 'STRING' } } }, rows[0]!.now);
}

/**
 * edit-version's deciding statement: ONE MERGE that closes the current version (end_date, the
 * link to its successor, revision + 1) and inserts the next version, only if the current version
 * is still the latest (`superseded_by IS NULL`) and unchanged since it was read (`revision`).
 * Both source rows come from the current version's row, so when the condition fails the source
 * is empty and nothing at all is written.
 *
 * Why this holds on BigQuery without unique constraints or transactions: a MERGE is atomic (both
 * rows or neither, so a failure half-way cannot leave two open versions or a closed plan without
 * its successor), and it UPDATEs an existing row, so concurrent MERGEs on the table conflict and
 * BigQuery runs them one after another (a loser fails with "could not serialize"; the adapter
 * reruns it on a fresh snapshot, where the condition is false). Of N concurrent edits exactly
 * one changes rows (2: one updated, one inserted); the others change 0 and answer 409.
 */
export async function supersede(wh: Warehouse, dataset: string, a: { currentId: string; revision: number; currentEnd: string; next: NewPlanRow; now: Date }): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  const params: Record<string, ParamValue> = { current_id: a.currentId, revision: a.revision, current_end: a.currentEnd, now: a.now };
  const types: Record<string, ParamType> = { current_end: 'DATE' };
  const next = stored(a.next);
  selectRow(next, 'n_', params, types);
  const still = 'cur.subscription_id = @current_id AND cur.superseded_by IS NULL AND cur.revision = @revision';
  // The insert row's branch also accepts the current version already linked to THIS successor:
  // an engine that runs the source while applying the update (DuckDB may; BigQuery reads the
  // source from the statement's snapshot) must not drop the insert it decided on. No other
  // statement can produce that link (the successor's id is new), so losers still match nothing.
  const stillOrMine = `cur.subscription_id = @current_id AND ((cur.superseded_by IS NULL AND cur.revision = @revision) OR cur.superseded_by = @n_subscription_id)`;
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${T} AS t
          USING (
            SELECT cur.subscription_id AS match_id FROM ${T} AS cur WHERE ${still}
            UNION ALL
            SELECT CAST(NULL AS STRING) AS match_id FROM ${T} AS cur WHERE ${stillOrMine}
          ) AS s
          ON t.subscription_id = s.match_id
          WHEN MATCHED THEN UPDATE SET superseded_by = @n_subscription_id, end_date = @current_end, revision = t.revision + 1, updated_at = @now
          WHEN NOT MATCHED THEN INSERT (${COLUMNS().join(', ')}) VALUES (${COLUMNS().map((c) => `@n_${c}`).join(', ')})`,
    params,
    types,
  });
  return affectedRows;
}

/**
 * Adds a successor the MERGE linked but did not insert (affected 1, not 2: an engine that applied
 * the update before reading the insert's source row). The link names this id, so no one else
 * can add it, and until it is added the plan reads as ended the day before the change.
 */
export async function insertLinkedSuccessor(wh: Warehouse, dataset: string, next: NewPlanRow): Promise<void> {
  await insertRows(wh, dataset, orgSpec(TABLE), [stored(next)]);
}

/** After a MERGE whose answer was lost: which successor (if any) the version names, and whether that row is there. */
export async function supersededBy(wh: Warehouse, dataset: string, subscriptionId: string): Promise<{ successor: string | null; present: boolean }> {
  const T = orgRef(wh, dataset, TABLE);
  const [row] = await wh.query({
    sql: `SELECT c.superseded_by, (SELECT COUNT(*) FROM ${T} AS n WHERE n.subscription_id = c.superseded_by) AS successor_rows FROM ${T} AS c WHERE c.subscription_id = @id`,
    params: { id: subscriptionId },
  });
  return { successor: text(row?.superseded_by), present: Number(row?.successor_rows ?? 0) > 0 };
}

/** The in-place fields: what a plan is called and who owns it, never what it costs. */
export type InPlaceFields = Partial<Pick<PlanRow, 'display_name' | 'owner_email' | 'department' | 'notes' | 'contract_id' | 'renewal_date' | 'payment_method' | 'auto_renew' | 'invoice_id_last'
  | 'hierarchy_entity_id' | 'hierarchy_entity_name' | 'hierarchy_level_code' | 'hierarchy_path' | 'hierarchy_path_names' | 'source_currency' | 'source_price' | 'exchange_rate_used' | 'billing_anchor_day'>>;

/** Changes in-place fields of one version. 0 = unknown id. */
export async function updateInPlace(wh: Warehouse, dataset: string, a: { id: string; set: InPlaceFields; now: Date }): Promise<number> {
  const fields = new Map(orgSpec(TABLE).fields.map((f) => [f.name, f]));
  const params: Record<string, ParamValue> = { id: a.id, now: a.now };
  const types: Record<string, ParamType> = {};
  const sets = Object.entries(a.set).filter(([, v]) => v !== undefined).map(([c, v]) => {
    params[`v_${c}`] = v ?? null;
    types[`v_${c}`] = paramTypeFor(fields.get(c)!);
    return `${c} = @v_${c}`;
  });
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${orgRef(wh, dataset, TABLE)} SET ${[...sets, 'revision = revision + 1', 'updated_at = @now'].join(', ')} WHERE subscription_id = @id`,
    params,
    types,
  });
  return affectedRows;
}

/**
 * Ends plans by request on `endDate` (their last paid day), keeping the rows: every version of
 * the plan (or every plan of the provider) that would run past that day. Versions that would
 * only start later get an end before their start: they are never paid. `keep` spares rows
 * (reset's freshly seeded ones).
 */
export async function endPlans(wh: Warehouse, dataset: string, a: { planId?: string; provider?: string; endDate: string; now: Date; keep?: readonly string[] }): Promise<number> {
  const where = [a.planId !== undefined ? 'plan_id = @plan_id' : 'provider = @provider', '(end_date IS NULL OR end_date > @end_date)'];
  if (a.keep?.length) where.push('subscription_id NOT IN UNNEST(@keep)');
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${orgRef(wh, dataset, TABLE)} SET end_date = @end_date, cancelled_at = COALESCE(cancelled_at, @now), revision = revision + 1, updated_at = @now
          WHERE ${where.join(' AND ')}`,
    params: { end_date: a.endDate, now: a.now, ...(a.planId !== undefined ? { plan_id: a.planId } : { provider: a.provider! }), ...(a.keep?.length ? { keep: [...a.keep] } : {}) },
    types: { end_date: 'DATE' },
  });
  return affectedRows;
}

/**
 * Re-opens the latest version of a cancelled plan (no end date again), only if it is still as
 * read and no other enabled plan of that name and provider has taken its place. 0 = refused.
 */
export async function reopen(wh: Warehouse, dataset: string, a: { id: string; revision: number; now: Date }): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${T} AS s SET end_date = NULL, cancelled_at = NULL, revision = s.revision + 1, updated_at = @now
          WHERE s.subscription_id = @id AND s.revision = @revision AND s.superseded_by IS NULL AND s.cancelled_at IS NOT NULL
            AND NOT (s.is_enabled AND EXISTS (SELECT 1 FROM ${T} AS o WHERE o.provider = s.provider AND o.plan_name = s.plan_name
              AND o.plan_id != s.plan_id AND o.is_enabled AND o.cancelled_at IS NULL AND COALESCE(o.end_date, DATE '9999-12-31') >= s.start_date))`,
    params: { id: a.id, revision: a.revision, now: a.now },
  });
  return affectedRows;
}

/**
 * Switches every version of a plan on or off; 0 = it was already so (another toggle got there
 * first) or, switching on, another enabled plan of that name and provider now overlaps one of
 * its versions (the overlap rule of insertPlan). The check is part of the UPDATE: concurrent
 * UPDATEs of the table are run one after another on BigQuery (a loser is rerun on a fresh
 * snapshot), so of two overlapping plans switched on at once only one is.
 */
export async function setEnabled(wh: Warehouse, dataset: string, a: { planId: string; enabled: boolean; now: Date }): Promise<number> {
  const T = orgRef(wh, dataset, TABLE);
  const clash = `EXISTS (SELECT 1 FROM ${T} AS v WHERE v.plan_id = @plan_id AND ${OVERLAPPING('v').replaceAll('{T}', T)})`;
  const { affectedRows } = await wh.execute({
    sql: `UPDATE ${T} SET is_enabled = @enabled, revision = revision + 1, updated_at = @now
          WHERE plan_id = @plan_id AND is_enabled != @enabled${a.enabled ? ` AND NOT ${clash}` : ''}`,
    params: { enabled: a.enabled, plan_id: a.planId, now: a.now },
  });
  return affectedRows;
}
