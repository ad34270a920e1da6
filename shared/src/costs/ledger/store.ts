import type { ColumnarResult, ParamType, ParamValue, Query, Row, Warehouse } from '../../warehouse/port.js';
import { orgTables } from '../../warehouse/schemas.js';
import { dayNumber } from '../../i18n/dates.js';
import { allocatedSource, type AllocationRule } from './allocation.js';

/** The org's FOCUS 1.2 ledger (configs/setup/organizations/onboarding/schemas/cost_data_standard_1_2.json). */
export const COST_TABLE = 'cost_data_standard_1_2';

export function costSpec() {
  const spec = orgTables().tables.find((t) => t.name === COST_TABLE);
  if (!spec) throw new Error(`No org table ${COST_TABLE}`);
  return spec;
}

/** Column names from the schema file, so no store retypes them. */
export function costColumns(): string[] {
  return costSpec().fields.map((f) => f.name);
}

/** Which rows: a half-open UTC interval of charge starts, and optional filters (exact values). */
export interface CostScope {
  datasetId: string;
  fromUtc: Date;
  toUtc: Date;
  providers?: readonly string[];
  serviceCategories?: readonly string[];
  /**
   * The web app's category names mapped to x_CostCategory (service_categories=genai,cloud,...).
   * Given with `serviceCategories`, a row matches either list (one multi-select of categories).
   */
  costCategoryFilter?: readonly string[];
  /** The view's own category (x_CostCategory IN ...), ANDed with every filter. */
  costCategories?: readonly string[];
  /** Hierarchy filters, ANDed: each matches the entity or its subtree, by whole path segments. */
  hierarchy?: HierarchyFilter;
  /** The org's label rules, applied to untagged rows before every hierarchy filter and grouping (local-day reductions). */
  allocation?: readonly AllocationRule[];
}

/**
 * The hierarchy filters the web app sends. `entityIds`: rows of the entity or below it (its id is
 * a whole segment of x_HierarchyPath, or the row's x_HierarchyEntityId); `paths`: rows whose path
 * is the given one or below it (`/DEPT-1` never matches `/DEPT-10`); `level1`: the entity at the
 * top of the path (department_id). Entity ids are unique within an org, so project_id and team_id
 * are entity filters too.
 */
export interface HierarchyFilter { entityIds?: readonly string[]; paths?: readonly string[]; level1?: string }

function where(s: CostScope): { sql: string; params: Record<string, ParamValue>; types: Record<string, ParamType> } {
  const parts = ['ChargePeriodStart >= @from_utc', 'ChargePeriodStart < @to_utc'];
  const params: Record<string, ParamValue> = { from_utc: s.fromUtc, to_utc: s.toUtc };
  const types: Record<string, ParamType> = { from_utc: 'TIMESTAMP', to_utc: 'TIMESTAMP' };
  const list = (col: string, name: string, values: readonly string[] | undefined) => {
    if (!values?.length) return;
    parts.push(`${col} IN UNNEST(@${name})`);
    params[name] = [...values];
    types[name] = { array: 'STRING' };
  };
  list('ProviderName', 'providers', s.providers);
  // One multi-select of categories: FOCUS ServiceCategory values and x_CostCategory ones (the
  // web app's), a row matching any; `other` is a row of none of the known cost categories.
  const either: string[] = [];
  if (s.serviceCategories?.length) {
    either.push('ServiceCategory IN UNNEST(@service_categories)');
    params.service_categories = [...s.serviceCategories];
    types.service_categories = { array: 'STRING' };
  }
  const named = s.costCategoryFilter?.filter((c) => c !== OTHER_CATEGORY) ?? [];
  if (named.length) {
    either.push('x_CostCategory IN UNNEST(@category_filter)');
    params.category_filter = named;
    types.category_filter = { array: 'STRING' };
  }
  if (s.costCategoryFilter?.includes(OTHER_CATEGORY)) {
    either.push('(x_CostCategory IS NULL OR x_CostCategory NOT IN UNNEST(@known_categories))');
    params.known_categories = ['cloud', 'llm', 'saas'];
    types.known_categories = { array: 'STRING' };
  }
  if (either.length) parts.push(either.length === 1 ? either[0]! : `(${either.join(' OR ')})`);
  list('x_CostCategory', 'cost_categories', s.costCategories);
  const h = s.hierarchy;
  // A segment test on '/'-closed text: '/A/B/' holds '/B/' but '/A/B1/' does not.
  h?.entityIds?.forEach((id, i) => {
    parts.push(`(x_HierarchyEntityId = @h_entity_${i} OR STRPOS(x_HierarchyPath || '/', '/' || @h_entity_${i} || '/') > 0)`);
    params[`h_entity_${i}`] = id;
  });
  h?.paths?.forEach((path, i) => {
    parts.push(`STARTS_WITH(x_HierarchyPath || '/', @h_path_${i})`);
    params[`h_path_${i}`] = `${path.replace(/\/+$/, '')}/`;
  });
  if (h?.level1 !== undefined) {
    parts.push("STARTS_WITH(x_HierarchyPath || '/', '/' || @h_level1 || '/')");
    params.h_level1 = h.level1;
  }
  return { sql: parts.join(' AND '), params, types };
}

/** A reduction's row bound: LIMIT maxRows + 1 (no ORDER BY: which rows does not matter once there are too many). */
function limitClause(maxRows: number | undefined): string {
  return maxRows === undefined ? '' : '\n    LIMIT @max_rows';
}
function limitParams(params: Record<string, ParamValue>, maxRows: number | undefined): Record<string, ParamValue> {
  return maxRows === undefined ? params : { ...params, max_rows: maxRows + 1 };
}
function limitTypes(types: Record<string, ParamType>, maxRows: number | undefined): Record<string, ParamType> {
  return maxRows === undefined ? types : { ...types, max_rows: 'INT64' };
}

/** Grouping columns a reduction may use besides the time bucket (pivot rows come from here too). */
export const REDUCIBLE = ['ProviderName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'x_CostCategory', 'BillingCurrency', 'x_Model', 'RegionId', 'SubAccountId', 'BillingAccountId', 'ChargeCategory', 'ResourceType', 'PublisherName'] as const;
export type Reducible = (typeof REDUCIBLE)[number];

/** A category filter value for rows of no known x_CostCategory (the web app's `other`). */
export const OTHER_CATEGORY = 'other';

/** The hierarchy columns a row is allocated by (the web app's hierarchy_* fields). */
export const HIERARCHY_COLUMNS = ['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'] as const;

/** Columns a local-day reduction may group by. */
export type DayReducible = Reducible | (typeof HIERARCHY_COLUMNS)[number];

/** What priced a row (the GenAI costs): the price version and whether the cost is the provider's or an estimate. */
export const PRICING_COLUMNS = ['x_PricingId', 'x_CostSource', 'ConsumedUnit'] as const;

/** Columns a reduction may group by. */
/** Columns a reduction may group by (`ar_rule`: the index of the label rule that allocated a row, only with `allocation` rules). */
export type GroupColumn = DayReducible | (typeof PRICING_COLUMNS)[number] | 'ar_rule' | 'SkuId';

/**
 * A zone's UTC offset (seconds east of UTC) over an interval: the offset at its start and each
 * change inside it (the instant from which the new offset holds). analytics/zone.ts computes it.
 */
export interface ZoneOffsets { initial: number; changes: readonly { at: Date; offset: number }[] }

/** Every parameter name of the zone's offsets: `tz_off_i` (seconds east of UTC), `tz_sec_i` (UNIX seconds from which offset i holds). */
function zoneParams(z: ZoneOffsets, params: Record<string, ParamValue>, types: Record<string, ParamType>): number {
  params.tz_off_0 = z.initial;
  types.tz_off_0 = 'INT64';
  z.changes.forEach((c, i) => {
    params[`tz_sec_${i + 1}`] = Math.floor(c.at.getTime() / 1000);
    types[`tz_sec_${i + 1}`] = 'INT64';
    params[`tz_off_${i + 1}`] = c.offset;
    types[`tz_off_${i + 1}`] = 'INT64';
  });
  return z.changes.length;
}

/** The zone's offset in force at UNIX second `sec` (a CASE over the DST changes given as parameters). */
function offsetAt(sec: string, changes: number): string {
  if (!changes) return '@tz_off_0';
  const arms = Array.from({ length: changes }, (_, i) => `WHEN ${sec} < @tz_sec_${i + 1} THEN @tz_off_${i}`);
  return `CASE ${arms.join(' ')} ELSE @tz_off_${changes} END`;
}

/** The local day (days since 1970-01-01) of UNIX second `sec`: UTC seconds plus the offset then, in days. */
function localDayOf(sec: string, changes: number): string {
  return `DIV(${sec} + ${offsetAt(sec, changes)}, 86400)`;
}

/**
 * The UNIX second at which local day `day` starts: its local midnight minus the offset in force
 * then (midnight is before change i when it comes before it under the offset before it).
 */
function dayStartOf(day: string, changes: number): string {
  if (!changes) return `(${day}) * 86400 - @tz_off_0`;
  const arms = Array.from({ length: changes }, (_, i) => `WHEN (${day}) * 86400 - @tz_off_${i} < @tz_sec_${i + 1} THEN @tz_off_${i}`);
  return `(${day}) * 86400 - CASE ${arms.join(' ')} ELSE @tz_off_${changes} END`;
}

/** 0..999 in plain SQL both engines and ZetaSQL accept (no GENERATE_ARRAY on DuckDB, no UNNEST alias that is a scalar there). */
const DIGITS = `(SELECT 0 AS k UNION ALL ${[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => `SELECT ${n}`).join(' UNION ALL ')})`;
const SERIES = `(SELECT a.k + 10 * b.k + 100 * c.k AS k FROM ${DIGITS} AS a CROSS JOIN ${DIGITS} AS b CROSS JOIN ${DIGITS} AS c)`;
/** Local days one spread row may be cut into within one answer (the series above). */
export const MAX_SPREAD_DAYS = 1000;

/** One grouping column of a local-day reduction: a ledger column, optionally under another name. */
export interface DayKey { column: string; as?: string }

/**
 * Every row's money by the org's local day, for local days `firstDay`..`lastDay` (days since
 * 1970-01-01), grouped by `keys`. A charge of at most 24 hours (hourly or daily
 * usage, even one crossing local midnight) lands on the local day it starts. A longer one whose
 * period (ChargePeriodStart..ChargePeriodEnd, end exclusive) covers several local days (a
 * monthly fee, a commitment, an invoice) is spread over them in proportion to the seconds of it
 * each day holds, exactly: day k gets R(x × S_k / S) − R(x × S_{k−1} / S), where S_k is the
 * seconds of the row up to the end of day k and S its length, and R(x × S / S) is x itself, so
 * the parts telescope to the row to the last digit on both engines (NUMERIC throughout). Days
 * outside `firstDay`..`lastDay` are not answered. Records, tokens and consumed quantity count on
 * the row's first local day (the row starts there).
 */
function dayReductionSql(table: string, w: { sql: string }, changes: number, keys: readonly DayKey[], extra: readonly string[]): string {
  const alias = (k: DayKey) => k.as ?? k.column;
  const s = 'UNIX_SECONDS(ChargePeriodStart)';
  const e = 'UNIX_SECONDS(ChargePeriodEnd)';
  const names = keys.map(alias);
  const day = 'GREATEST(d0, @first_day) + ser.k';
  const cum = (at: string) => `LEAST(GREATEST(${at}, s), e) - s`;
  const frac = (x: string, c: string) => `CASE WHEN ${c} >= e - s THEN ${x} WHEN ${c} <= 0 THEN ${x} - ${x} ELSE CAST(${x} * (${c}) / (e - s) AS NUMERIC(38, 9)) END`;
  const part = (x: string) => `${frac(x, cum(dayStartOf(`${day} + 1`, changes)))} - ${frac(x, cum(dayStartOf(day, changes)))}`;
  const money = ['billed', 'effective', 'list'];
  return `WITH src AS (
      SELECT ${keys.map((k) => `${k.column} AS ${alias(k)}`).join(', ')},
        BilledCost AS billed, EffectiveCost AS effective, ListCost AS list, x_InputTokens AS input_tokens, x_OutputTokens AS output_tokens, PricingQuantity AS quantity, ConsumedQuantity AS consumed,
        ${s} AS s, ${e} AS e,
        ${localDayOf(s, changes)} AS d0,
        CASE WHEN ChargePeriodEnd > ChargePeriodStart THEN ${localDayOf(`${e} - 1`, changes)} ELSE ${localDayOf(s, changes)} END AS d1
      FROM ${table}
      WHERE ${w.sql} AND (ChargePeriodStart >= @range_from_utc OR ChargePeriodEnd > @range_from_utc)
    ), parts AS (
      SELECT ${names.join(', ')}, d0 AS local_day, billed, effective, list, input_tokens, output_tokens, quantity, consumed, 1 AS n
      FROM src WHERE (d1 <= d0 OR e - s <= 86400) AND d0 >= @first_day AND d0 <= @last_day
      UNION ALL
      SELECT ${names.join(', ')}, ${day} AS local_day, ${money.map((m) => `${part(m)} AS ${m}`).join(', ')},
        IF(${day} = d0, input_tokens, NULL) AS input_tokens, IF(${day} = d0, output_tokens, NULL) AS output_tokens, quantity, IF(${day} = d0, consumed, NULL) AS consumed, IF(${day} = d0, 1, 0) AS n
      FROM src CROSS JOIN ${SERIES} AS ser
      WHERE d1 > d0 AND e - s > 86400 AND ${day} <= d1 AND ${day} <= @last_day
    )
    SELECT local_day, ${names.map((n) => `${n} AS ${n}`).join(', ')},
      CAST(SUM(billed) AS FLOAT64) AS billed,
      CAST(SUM(effective) AS FLOAT64) AS effective,
      CAST(SUM(list) AS FLOAT64) AS list,
      ${extra.map((x) => `${x}, `).join('')}SUM(n) AS records
    FROM parts
    GROUP BY ${['local_day', ...names].join(', ')}`;
}

/** A local-day reduction's interval: the local days answered and the UTC instants they cover. */
export interface DayWindow { firstDay: string; lastDay: string; zone: ZoneOffsets }

function dayQuery(wh: Warehouse, scope: CostScope, win: DayWindow, keys: readonly DayKey[], extra: readonly string[], maxRows?: number) {
  // Rows that started up to `spreadLookbackDays` before the range may spread into it: the scan starts there (bounded).
  const scanFromUtc = new Date(scope.fromUtc.getTime() - SPREAD_LOOKBACK_DAYS * 86_400_000);
  const w = where({ ...scope, fromUtc: scanFromUtc });
  const params: Record<string, ParamValue> = { ...w.params, from_utc: scanFromUtc, range_from_utc: scope.fromUtc, first_day: dayNumber(win.firstDay), last_day: dayNumber(win.lastDay) };
  const types: Record<string, ParamType> = { ...w.types, range_from_utc: 'TIMESTAMP', first_day: 'INT64', last_day: 'INT64' };
  const changes = zoneParams(win.zone, params, types);
  const table = allocatedSource(wh.table(scope.datasetId, COST_TABLE), scope.allocation, localDayOf('UNIX_SECONDS(ChargePeriodStart)', changes), params, types);
  const sql = dayReductionSql(table, w, changes, keys, extra);
  return wh.queryColumnar({ sql: sql + limitClause(maxRows), params: limitParams(params, maxRows), types: limitTypes(types, maxRows) });
}

/** How far before a range the scan reaches for rows that spread into it: a month (monthly fees, SaaS invoices, monthly commitments). */
export const SPREAD_LOOKBACK_DAYS = 31;

/**
 * The reduction by the org's local day: money summed exactly per local day × the grouping
 * columns × billing currency (multi-day rows spread, see dayReductionSql), so what travels grows
 * with days × keys, never with hours or rows. `local_day` is days since 1970-01-01. One
 * round-trip; at most maxRows + 1 rows with `maxRows`.
 */
export async function reduceCostsByLocalDay(wh: Warehouse, scope: CostScope, win: DayWindow, dims: readonly GroupColumn[], maxRows?: number, opts: { consumed?: boolean } = {}): Promise<ColumnarResult> {
  const keys = [...new Set<GroupColumn>(['BillingCurrency', ...dims])].map((column) => ({ column }));
  const sums = ['SUM(input_tokens) AS input_tokens', 'SUM(output_tokens) AS output_tokens', ...(opts.consumed ? ['CAST(SUM(consumed) AS FLOAT64) AS consumed'] : [])];
  return dayQuery(wh, scope, win, keys, sums, maxRows);
}

/** How many rows the scope holds (the real total for paging, which the original lacked). */
export async function countCosts(wh: Warehouse, scope: CostScope): Promise<number> {
  const w = where(scope);
  const [row] = await wh.query({ sql: `SELECT COUNT(*) AS n FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}`, params: w.params, types: w.types });
  return Number(row?.n ?? 0);
}

/** Where a keyset page starts: after the row of this exact charge start (UNIX microseconds) and source record id. */
export interface RowKey { us: string; id: string }

/** A page of the ledger: its columns, its size, and where it starts (an offset, or after a row). */
export interface PageSpec { columns: readonly string[]; limit: number; offset: number; after?: RowKey }

/**
 * One page of rows, newest first; ties broken by the source record id (null as ''), so pages are
 * stable. Each row also carries `x_cursor_us` and `x_cursor_id`, its key for the next page. A
 * keyset page (`after`) reads only what lies before that key: its time filter ends there too, so
 * a deep page scans less than the first (an OFFSET page re-reads everything before it).
 */
export async function pageCosts(wh: Warehouse, scope: CostScope, page: PageSpec): Promise<Row[]> {
  const after = page.after;
  const toUtc = after ? new Date(Math.min(scope.toUtc.getTime(), Math.floor(Number(after.us) / 1000) + 1)) : scope.toUtc;
  const w = where({ ...scope, toUtc });
  const params: Record<string, ParamValue> = { ...w.params, limit: page.limit, offset: page.offset };
  const types: Record<string, ParamType> = { ...w.types, limit: 'INT64', offset: 'INT64' };
  let keyset = '';
  if (after) {
    keyset = ` AND (ChargePeriodStart < TIMESTAMP_MICROS(@after_us) OR (ChargePeriodStart = TIMESTAMP_MICROS(@after_us) AND COALESCE(x_SourceRecordId, '') < @after_id))`;
    params.after_us = Number(after.us);
    params.after_id = after.id;
    types.after_us = 'INT64';
    types.after_id = 'STRING';
  }
  return wh.query({
    sql: `SELECT ${page.columns.join(', ')}, UNIX_MICROS(ChargePeriodStart) AS x_cursor_us, COALESCE(x_SourceRecordId, '') AS x_cursor_id
          FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}${keyset}
          ORDER BY ChargePeriodStart DESC, x_cursor_id DESC LIMIT @limit OFFSET @offset`,
    params,
    types,
  });
}

/** Rows per UTC hour of charge start (only hours with rows): how an export cuts its chunks. */
export async function countCostsByHour(wh: Warehouse, scope: CostScope): Promise<{ hour: number; rows: number }[]> {
  const w = where(scope);
  const rows = await wh.query({
    sql: `SELECT DIV(UNIX_SECONDS(ChargePeriodStart), 3600) AS hour, COUNT(*) AS n FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql} GROUP BY hour ORDER BY hour`,
    params: w.params,
    types: w.types,
  });
  return rows.map((r) => ({ hour: Number(r.hour), rows: Number(r.n) }));
}

/** Every column of the scope's rows in charge order, as columnar bytes (one export chunk). */
export async function chunkCosts(wh: Warehouse, scope: CostScope, columns: readonly string[] = costColumns()): Promise<ColumnarResult> {
  return wh.queryColumnar(exportSelect(wh, scope, columns));
}

/**
 * The ledger rows of a scope with `columns` (names checked against the schema by the caller), in
 * charge order: an export chunk, or the SELECT of a BigQuery EXPORT DATA job.
 */
export function exportSelect(wh: Warehouse, scope: CostScope, columns: readonly string[] = costColumns()): Query {
  const w = where(scope);
  return {
    sql: `SELECT ${columns.join(', ')} FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql} ORDER BY ChargePeriodStart, x_SourceRecordId`,
    params: w.params,
    types: w.types,
  };
}

/** A text cell a spreadsheet would run as a formula, unless it is a plain number (encode.ts, the same rule). */
const FORMULA = "r'^[=+\\-@\\t\\r]'";
const PLAIN_NUMBER = "r'^[+-]?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?$'";

/**
 * The SELECT of a BigQuery EXPORT DATA job, cell for cell what the synchronous export writes
 * (encode.ts): for CSV and FOCUS, timestamps as UTC ISO 8601, Tags as one JSON object, empty text
 * as null; `csv` (for spreadsheets) also puts a `'` before a text cell that would start a formula.
 * Parquet keeps the columns' own types. BigQuery's CSV cannot hold a repeated record, hence Tags.
 */
export function exportDataSelect(wh: Warehouse, scope: CostScope, columns: readonly string[], format: 'csv' | 'parquet' | 'focus'): Query {
  const base = exportSelect(wh, scope, columns);
  if (format === 'parquet') return base;
  const fields = new Map(costSpec().fields.map((f) => [f.name, f]));
  const cell = (c: string): string => {
    const f = fields.get(c)!;
    if (f.type === 'TIMESTAMP') return `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', ${c}, 'UTC') AS ${c}`;
    if (f.mode === 'REPEATED') return `(SELECT IF(COUNT(*) = 0, NULL, CONCAT('{', STRING_AGG(CONCAT(TO_JSON_STRING(t.Key), ':', TO_JSON_STRING(t.Value)), ','), '}')) FROM UNNEST(${c}) AS t) AS ${c}`;
    if (f.type !== 'STRING') return c;
    const text = format === 'csv' ? `IF(REGEXP_CONTAINS(${c}, ${FORMULA}) AND NOT REGEXP_CONTAINS(${c}, ${PLAIN_NUMBER}), CONCAT(CHR(39), ${c}), ${c})` : c;
    return `IF(${c} = '', NULL, ${text}) AS ${c}`;
  };
  const w = where(scope);
  return {
    sql: `SELECT ${columns.map(cell).join(', ')} FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql} ORDER BY ChargePeriodStart, x_SourceRecordId`,
    params: w.params,
    types: w.types,
  };
}

/** SaaS rows per subscription and local day, with the columns the web app's SaaS table shows. */
export async function reduceSaas(wh: Warehouse, scope: CostScope, win: DayWindow, maxRows?: number): Promise<ColumnarResult> {
  const keys: DayKey[] = [
    { column: 'x_SubscriptionId', as: 'subscription_id' }, { column: 'ProviderName', as: 'provider_name' }, { column: 'PublisherName', as: 'publisher' },
    { column: 'ServiceName', as: 'service_name' }, { column: 'SkuId', as: 'plan_name' }, { column: 'ResourceName', as: 'display_name' },
    { column: 'ServiceCategory', as: 'service_category' }, { column: 'BillingCurrency' },
  ];
  return dayQuery(wh, { ...scope, costCategories: ['saas'] }, win, keys, ['CAST(MAX(quantity) AS FLOAT64) AS seats'], maxRows);
}

/** What one seed run owns in the ledger: its usage rows by id prefix over whole UTC days, its SaaS rows by exact id. */
export interface SeedRows { usageFromUtc: Date; usageToUtc: Date; usagePrefix: string; saasIds: readonly string[]; saasFromUtc: Date; saasToUtc: Date }

/**
 * Deletes the rows a seed run writes (scripts/seed-costs.ts), so a rerun replaces them instead of
 * adding copies: usage rows whose x_SourceRecordId starts with the seed's prefix in the run's UTC
 * days, and the SaaS rows of the run's exact ids (which a pipeline would also write under those
 * ids). Rows of pipelines are never touched. One statement; returns the rows deleted.
 */
export async function deleteSeedRows(wh: Warehouse, datasetId: string, s: SeedRows): Promise<number> {
  const from = s.usageFromUtc < s.saasFromUtc ? s.usageFromUtc : s.saasFromUtc;
  const to = s.usageToUtc > s.saasToUtc ? s.usageToUtc : s.saasToUtc;
  const { affectedRows } = await wh.execute({
    sql: `DELETE FROM ${wh.table(datasetId, COST_TABLE)}
          WHERE ChargePeriodStart >= @from_utc AND ChargePeriodStart < @to_utc
            AND ((STARTS_WITH(x_SourceRecordId, @prefix) AND ChargePeriodStart >= @usage_from AND ChargePeriodStart < @usage_to)
              OR (x_SourceRecordId IN UNNEST(@saas_ids) AND ChargePeriodStart >= @saas_from AND ChargePeriodStart < @saas_to))`,
    params: { from_utc: from, to_utc: to, prefix: s.usagePrefix, usage_from: s.usageFromUtc, usage_to: s.usageToUtc, saas_ids: [...s.saasIds], saas_from: s.saasFromUtc, saas_to: s.saasToUtc },
    types: { from_utc: 'TIMESTAMP', to_utc: 'TIMESTAMP', usage_from: 'TIMESTAMP', usage_to: 'TIMESTAMP', saas_from: 'TIMESTAMP', saas_to: 'TIMESTAMP', saas_ids: { array: 'STRING' } },
  });
  return affectedRows;
}

/**
 * The latest charge end per provider among the rows whose charge starts on or after `sinceUtc`
 * (one grouped scan, bounded by the partition column): what a data-freshness check reads.
 */
export async function lastChargeByProvider(wh: Warehouse, datasetId: string, sinceUtc: Date, providers?: readonly string[]): Promise<{ provider: string; last_at: Date }[]> {
  const rows = await wh.query({
    sql: `SELECT ProviderName AS provider, MAX(ChargePeriodEnd) AS last_at FROM ${wh.table(datasetId, COST_TABLE)}
          WHERE ChargePeriodStart >= @since_utc AND ProviderName IS NOT NULL${providers?.length ? ' AND ProviderName IN UNNEST(@providers)' : ''}
          GROUP BY ProviderName ORDER BY ProviderName`,
    params: { since_utc: sinceUtc, ...(providers?.length ? { providers: [...providers] } : {}) },
    types: { since_utc: 'TIMESTAMP', ...(providers?.length ? { providers: { array: 'STRING' } } : {}) },
  });
  return rows.map((r) => ({ provider: String(r.provider), last_at: r.last_at instanceof Date ? r.last_at : new Date(String(r.last_at)) }));
}
