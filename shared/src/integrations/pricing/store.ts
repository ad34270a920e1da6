import type { Row, TableSpec, Warehouse } from '../../warehouse/port.js';
import { orgTables } from '../../warehouse/schemas.js';
import { rowsAsSelect } from '../source-rows.js';
import { dayBefore } from '../../i18n/dates.js';

/**
 * The one owner of `llm_model_pricing` SQL (in each org's dataset).
 *
 * A model's price is a chain of versions: each row is in force from `effective_date` to
 * `end_date` (NULL: open). A change adds a version and ends the one before; nothing in force on
 * a past day is rewritten. The version in force on a day is the row covering it with the latest
 * `effective_date` (then the newest `created_at`), so even two rows covering one day (two
 * concurrent changes) answer one price, the latest one set.
 *
 * The table also holds one lock row (provider '-lock-', ended before it began, so no read finds
 * it): see insertUnlessPriced.
 */
const TABLE = 'llm_model_pricing';
const LOCK = '-lock-';

let tableSpec: TableSpec | undefined;
export function pricingSpec(): TableSpec {
  return (tableSpec ??= orgTables().tables.find((t) => t.name === TABLE)!);
}
const columns = (): string[] => pricingSpec().fields.map((f) => f.name);
const list = (alias?: string): string => columns().map((c) => (alias ? `${alias}.${c}` : c)).join(', ');

export interface PricingRow {
  pricing_id: string;
  provider: string;
  model_id: string;
  model_name: string | null;
  is_custom: boolean;
  /** NUMERIC columns are exact decimal strings here; responses turn them into numbers. */
  input_price_per_1k: string;
  output_price_per_1k: string;
  currency: string | null;
  effective_date: string;
  end_date: string | null;
  is_enabled: boolean;
  notes: string | null;
  pricing_type: string | null;
  free_tier_input_tokens: number | null;
  free_tier_output_tokens: number | null;
  free_tier_reset_frequency: string | null;
  discount_percentage: string | null;
  discount_reason: string | null;
  volume_threshold_tokens: number | null;
  base_input_price_per_1k: string | null;
  base_output_price_per_1k: string | null;
  x_gemini_context_window: string | null;
  x_gemini_region: string | null;
  x_anthropic_tier: string | null;
  x_openai_batch_input_price: string | null;
  x_openai_batch_output_price: string | null;
  created_at: string;
  updated_at: string;
  /** Bumped by every change of the row (NULL, as 0, on rows from before the column): see writeVersions. */
  revision: number | null;
}

function toRow(r: Row): PricingRow {
  const out: Record<string, unknown> = {};
  for (const f of pricingSpec().fields) out[f.name] = r[f.name] ?? null;
  return { ...(out as unknown as PricingRow), revision: r.revision === null || r.revision === undefined ? null : Number(r.revision) };
}

/** The version in force on @as_of, per model (see the header). */
const IN_FORCE = `effective_date <= @as_of AND (end_date IS NULL OR end_date >= @as_of)`;
/**
 * These routes (/integrations/{org}/{provider}/pricing) price a model once, worldwide: its
 * 'global' rows (NULL region: rows from before the column). The GenAI pay-as-you-go flow keeps
 * the same rows and adds regional ones beside them (integrations/genai/store.ts), so both read
 * and write one price history per model.
 */
const GLOBAL = `COALESCE(region, 'global') = 'global'`;
const GLOBAL_T = `COALESCE(T.region, 'global') = 'global'`;
const NEWEST_PER_MODEL = `QUALIFY ROW_NUMBER() OVER (PARTITION BY model_id ORDER BY effective_date DESC, created_at DESC, pricing_id DESC) = 1`;

export interface ListQuery {
  provider: string;
  asOf: string;
  isEnabled?: boolean;
  includeCustom: boolean;
  limit: number;
  offset: number;
}

/** A page of the provider's models at their price on `asOf`, in one query. Filters apply to that version, not to older ones. */
export async function listInForce(wh: Warehouse, dataset: string, q: ListQuery): Promise<PricingRow[]> {
  const filters = [q.isEnabled === undefined ? '' : 'is_enabled = @enabled', q.includeCustom ? '' : 'NOT is_custom'].filter(Boolean);
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM (
            SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND ${GLOBAL} AND ${IN_FORCE} ${NEWEST_PER_MODEL}
          ) AS v ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''}
          ORDER BY model_id LIMIT @limit OFFSET @offset`,
    params: { provider: q.provider, as_of: q.asOf, limit: q.limit, offset: q.offset, ...(q.isEnabled === undefined ? {} : { enabled: q.isEnabled }) },
    types: { as_of: 'DATE' },
  });
  return rows.map(toRow);
}

/** Every provider's enabled models at their price on `asOf` (the costs seed prices LLM usage with them). */
export async function enabledInForce(wh: Warehouse, dataset: string, asOf: string): Promise<PricingRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM (
            SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider != '-lock-' AND ${GLOBAL} AND ${IN_FORCE}
            QUALIFY ROW_NUMBER() OVER (PARTITION BY provider, model_id ORDER BY effective_date DESC, created_at DESC, pricing_id DESC) = 1
          ) AS v WHERE is_enabled ORDER BY provider, model_id`,
    params: { as_of: asOf },
    types: { as_of: 'DATE' },
  });
  return rows.map(toRow);
}

/** One model's version in force on `asOf`. */
export async function inForce(wh: Warehouse, dataset: string, provider: string, modelId: string, asOf: string): Promise<PricingRow | undefined> {
  const [row] = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND model_id = @model AND ${GLOBAL} AND ${IN_FORCE} ${NEWEST_PER_MODEL}`,
    params: { provider, model: modelId, as_of: asOf },
    types: { as_of: 'DATE' },
  });
  return row ? toRow(row) : undefined;
}

/** The newest version of each model (ended or not), in one query: what a change starts from. */
export async function latestVersions(wh: Warehouse, dataset: string, provider: string, modelIds: readonly string[]): Promise<Map<string, PricingRow>> {
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND model_id IN UNNEST(@models) AND ${GLOBAL} ${NEWEST_PER_MODEL}`,
    params: { provider, models: [...modelIds] },
    types: { models: { array: 'STRING' } },
  });
  return new Map(rows.map((r) => [String(r.model_id), toRow(r)]));
}

/** Every version of a model, oldest first. */
export async function versions(wh: Warehouse, dataset: string, provider: string, modelId: string): Promise<PricingRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND model_id = @model AND ${GLOBAL} ORDER BY effective_date, created_at, pricing_id`,
    params: { provider, model: modelId },
  });
  return rows.map(toRow);
}

/** The model's versions in force on `from` or later: after a create, its own row if it won (see insertUnlessPriced). */
export async function versionsFrom(wh: Warehouse, dataset: string, provider: string, modelId: string, from: string): Promise<PricingRow[]> {
  const rows = await wh.query({
    sql: `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE provider = @provider AND model_id = @model AND ${GLOBAL} AND (end_date IS NULL OR end_date >= @from) ORDER BY effective_date, created_at`,
    params: { provider, model: modelId, from },
    types: { from: 'DATE' },
  });
  return rows.map(toRow);
}

function lockRow(now: Date): Record<string, string | boolean | Date> {
  return {
    pricing_id: LOCK, provider: LOCK, model_id: LOCK, model_name: 'create lock (see shared/src/integrations/pricing/store.ts)', is_custom: false,
    input_price_per_1k: '0', output_price_per_1k: '0', effective_date: '1970-01-02', end_date: '1970-01-01', is_enabled: false, created_at: now, updated_at: now,
  };
}

/**
 * Inserts the lock row unless there is one. An insert-only statement, so two first calls at
 * once may both insert it: harmless, the create touches every lock row.
 */
export async function ensureLock(wh: Warehouse, dataset: string, now: Date): Promise<void> {
  const src = rowsAsSelect(pricingSpec(), [lockRow(now)], 'l');
  const table = wh.table(dataset, TABLE);
  await wh.execute({
    sql: `INSERT INTO ${table} (${list()}) SELECT ${list('s')} FROM (${src.sql}) AS s WHERE NOT EXISTS (SELECT 1 FROM ${table} WHERE pricing_id = @lock)`,
    params: { ...src.params, lock: LOCK },
    types: src.types,
  });
}

/**
 * Adds a model's first version unless the model is priced on `row.effective_date` or later.
 *
 * Why it holds without unique constraints: BigQuery does not serialise insert-only statements
 * (two "insert if absent" would both insert), but it does serialise statements that modify rows
 * of one table: one of two such MERGEs fails with "could not serialize" and is rerun on a fresh
 * snapshot by the adapter. So this MERGE also touches the lock row (which ensureLock has made
 * sure exists, before this statement starts): every create of this table runs after every
 * other, and sees the one before it. The caller reads back (versionsFrom) to learn whether its
 * row went in (201) or another version was there (409).
 */
export async function insertUnlessPriced(wh: Warehouse, dataset: string, row: PricingRow, now: Date): Promise<void> {
  const table = wh.table(dataset, TABLE);
  const src = rowsAsSelect(pricingSpec(), [{ ...row }, lockRow(now)], 's', (i) => ({ op: i === 0 ? 'insert' : 'lock' }));
  await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.*, (SELECT COUNT(*) FROM ${table} WHERE provider = @provider AND model_id = @model AND ${GLOBAL} AND (end_date IS NULL OR end_date >= @from)) AS taken
            FROM (${src.sql}) AS src
          ) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND S.op = 'lock' THEN UPDATE SET updated_at = S.updated_at
          WHEN NOT MATCHED AND S.op = 'insert' AND S.taken = 0 THEN INSERT (${list()}) VALUES (${list('S')})`,
    params: { ...src.params, provider: row.provider, model: row.model_id, from: row.effective_date },
    types: { ...src.types, from: 'DATE' },
  });
}

export interface VersionWrite {
  row: PricingRow;
  /** insert: a new version; update: an existing version rewritten as given (matched by pricing_id). */
  op: 'insert' | 'update';
}

/** A version as a change read it: the change is written only if the version is still at this revision. */
export interface ReadVersion {
  pricing_id: string;
  revision: number | null;
}

const readKey = (v: ReadVersion): string => `${v.pricing_id}#${v.revision ?? 0}`;

/**
 * Every version a change adds or ends, in one MERGE, and only if every version the change read
 * (`read`) is still there at the revision it read: a read-modify-write that lost to another
 * change (a PUT, a bulk update, a DELETE, a reset) writes nothing and answers 0, so the caller
 * answers 409 instead of writing over what it never saw. Each updated version's revision goes up
 * by one. One statement is atomic on BigQuery, so a bulk update is all or nothing, and a price
 * change's new version and the end of the one before it land together. It UPDATEs existing rows,
 * so concurrent changes of the table are run one after another (a loser is rerun on a fresh
 * snapshot, where the revision no longer matches). Returns the rows written (0 = lost).
 */
export async function writeVersions(wh: Warehouse, dataset: string, writes: readonly VersionWrite[], read: readonly ReadVersion[]): Promise<number> {
  if (!writes.length) return 0;
  const table = wh.table(dataset, TABLE);
  const src = rowsAsSelect(pricingSpec(), writes.map((w) => ({ ...w.row })), 's', (i) => ({ op: writes[i]!.op }));
  const fixed = new Set(['pricing_id', 'provider', 'model_id', 'created_at', 'revision']);
  const keys = [...new Set(read.map(readKey))];
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.* FROM (${src.sql}) AS src
            WHERE (SELECT COUNT(*) FROM ${table} AS r WHERE CONCAT(r.pricing_id, '#', CAST(COALESCE(r.revision, 0) AS STRING)) IN UNNEST(@read_keys)) = @read_count
          ) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND S.op = 'update' THEN UPDATE SET ${columns().filter((c) => !fixed.has(c)).map((c) => `${c} = S.${c}`).join(', ')}, revision = COALESCE(T.revision, 0) + 1
          WHEN NOT MATCHED AND S.op = 'insert' THEN INSERT (${list()}) VALUES (${list('S')})`,
    params: { ...src.params, read_keys: keys, read_count: keys.length },
    types: { ...src.types, read_keys: { array: 'STRING' } },
  });
  return affectedRows;
}

/**
 * Ends a model's pricing from `today` on, in one statement: versions in force before today end
 * yesterday (kept: they priced past days); versions starting today or later are removed (they
 * priced no past day). Returns how many versions it ended or removed.
 */
export async function retireModel(wh: Warehouse, dataset: string, a: { provider: string; modelId: string; today: string; now: Date }): Promise<number> {
  const table = wh.table(dataset, TABLE);
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (SELECT pricing_id FROM ${table} WHERE provider = @provider AND model_id = @model AND ${GLOBAL} AND (end_date IS NULL OR end_date >= @today)) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND T.effective_date >= @today THEN DELETE
          WHEN MATCHED THEN UPDATE SET end_date = @yesterday, updated_at = @now, revision = COALESCE(T.revision, 0) + 1`,
    params: { provider: a.provider, model: a.modelId, today: a.today, yesterday: dayBefore(a.today), now: a.now },
    types: { today: 'DATE', yesterday: 'DATE' },
  });
  return affectedRows;
}

/**
 * Reset: the defaults become the provider's prices from `today`, in one statement. Every other
 * version of the provider still in force today is ended yesterday (or removed if it starts
 * today or later), as retireModel does; the defaults go in as versions starting today. History
 * before today is untouched.
 */
export async function replaceWithDefaults(wh: Warehouse, dataset: string, a: { provider: string; defaults: readonly PricingRow[]; today: string; now: Date }): Promise<number> {
  const src = rowsAsSelect(pricingSpec(), a.defaults.map((r) => ({ ...r })), 'd');
  const { affectedRows } = await wh.execute({
    sql: `MERGE INTO ${wh.table(dataset, TABLE)} AS T
          USING (${src.sql || `SELECT ${list()} FROM ${wh.table(dataset, TABLE)} WHERE FALSE`}) AS S
          ON T.pricing_id = S.pricing_id
          WHEN NOT MATCHED BY TARGET THEN INSERT (${list()}) VALUES (${list('S')})
          WHEN NOT MATCHED BY SOURCE AND T.provider = @provider AND ${GLOBAL_T} AND T.effective_date >= @today THEN DELETE
          WHEN NOT MATCHED BY SOURCE AND T.provider = @provider AND ${GLOBAL_T} AND (T.end_date IS NULL OR T.end_date >= @today) THEN UPDATE SET end_date = @yesterday, updated_at = @now, revision = COALESCE(T.revision, 0) + 1`,
    params: { ...src.params, provider: a.provider, today: a.today, yesterday: dayBefore(a.today), now: a.now },
    types: { ...src.types, today: 'DATE', yesterday: 'DATE' },
  });
  return affectedRows;
}

/**
 * The first seed of a provider's defaults, decided by ONE MERGE: the defaults go in unless the
 * provider has any default version (even an ended one), and the same statement touches the lock
 * row (see insertUnlessPriced), so concurrent first seeds run one after another and only the
 * first inserts. Where there is no lock row yet (an org's very first seed), the statement
 * inserts only the lock row (insert-only statements are not serialised, so it may not decide)
 * and is run once more, now serialised. Returns how many defaults it added: all or none.
 */
export async function insertDefaultsUnlessSeeded(wh: Warehouse, dataset: string, provider: string, defaults: readonly PricingRow[], now: Date): Promise<number> {
  if (!defaults.length) return 0;
  const table = wh.table(dataset, TABLE);
  const src = rowsAsSelect(pricingSpec(), [...defaults.map((r) => ({ ...r })), lockRow(now)], 'd', (i) => ({ op: i < defaults.length ? 'insert' : 'lock' }));
  const run = async () => (await wh.execute({
    sql: `MERGE INTO ${table} AS T
          USING (
            SELECT src.*,
              NOT EXISTS (SELECT 1 FROM ${table} WHERE provider = @provider AND NOT is_custom AND ${GLOBAL} AND pricing_id NOT IN UNNEST(@ids)) AS fresh,
              EXISTS (SELECT 1 FROM ${table} WHERE pricing_id = @lock) AS locked
            FROM (${src.sql}) AS src
          ) AS S
          ON T.pricing_id = S.pricing_id
          WHEN MATCHED AND S.op = 'lock' AND S.fresh THEN UPDATE SET updated_at = S.updated_at
          WHEN NOT MATCHED AND S.op = 'lock' THEN INSERT (${list()}) VALUES (${list('S')})
          WHEN NOT MATCHED AND S.op = 'insert' AND S.fresh AND S.locked THEN INSERT (${list()}) VALUES (${list('S')})`,
    params: { ...src.params, provider, ids: defaults.map((r) => r.pricing_id), lock: LOCK },
    types: { ...src.types, ids: { array: 'STRING' } },
  })).affectedRows;
  // Seeded: the defaults and at least one lock row (2 or more). Nothing: 0. Only the lock row inserted: 1.
  let affected = await run();
  if (affected === 1) affected = await run();
  return affected > 1 ? defaults.length : 0;
}
