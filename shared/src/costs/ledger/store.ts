import type { ColumnarResult, ParamType, ParamValue, Row, Warehouse } from '../../warehouse/port.js';
import { orgTables } from '../../warehouse/schemas.js';

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

/** Seconds per time bucket: 15 minutes, so every UTC offset in use (+05:30, +05:45) cuts local days exactly. */
export const BUCKET_SECONDS = 900;

/**
 * The reduction the warehouse does before anything travels: money summed exactly (NUMERIC) per
 * 15-minute UTC bucket × the grouping columns × billing currency, then cast to FLOAT64 for the
 * trip (a sum of at most 9 decimals in 15-17 significant digits). What comes back grows with
 * time buckets × distinct keys, never with the raw row count. One round-trip. With `maxRows`,
 * at most maxRows + 1 rows come back: one more than the caller allows tells it to refuse.
 */
export async function reduceCosts(wh: Warehouse, scope: CostScope, dims: readonly GroupColumn[], maxRows?: number, opts: { consumed?: boolean } = {}): Promise<ColumnarResult> {
  const w = where(scope);
  const keys = [...new Set<GroupColumn>(['BillingCurrency', ...dims])];
  const sql = `SELECT TIMESTAMP_SECONDS(${BUCKET_SECONDS} * DIV(UNIX_SECONDS(ChargePeriodStart), ${BUCKET_SECONDS})) AS bucket,
      ${keys.map((k) => `${k} AS ${k}`).join(', ')},
      CAST(SUM(BilledCost) AS FLOAT64) AS billed,
      CAST(SUM(EffectiveCost) AS FLOAT64) AS effective,
      CAST(SUM(ListCost) AS FLOAT64) AS list,
      SUM(x_InputTokens) AS input_tokens,
      SUM(x_OutputTokens) AS output_tokens,${opts.consumed ? `
      CAST(SUM(ConsumedQuantity) AS FLOAT64) AS consumed,` : ''}
      COUNT(*) AS records
    FROM ${wh.table(scope.datasetId, COST_TABLE)}
    WHERE ${w.sql}
    GROUP BY ${['bucket', ...keys].join(', ')}${limitClause(maxRows)}`;
  return wh.queryColumnar({ sql, params: limitParams(w.params, maxRows), types: limitTypes(w.types, maxRows) });
}

/** A category filter value for rows of no known x_CostCategory (the web app's `other`). */
export const OTHER_CATEGORY = 'other';

/** The hierarchy columns a row is allocated by (the web app's hierarchy_* fields). */
export const HIERARCHY_COLUMNS = ['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'] as const;

/** Columns a local-day reduction may group by. */
export type DayReducible = Reducible | (typeof HIERARCHY_COLUMNS)[number];

/** What priced a row (the GenAI costs): the price version and whether the cost is the provider's or an estimate. */
export const PRICING_COLUMNS = ['x_PricingId', 'x_CostSource', 'ConsumedUnit'] as const;

/** Columns the bucket reduction may group by. */
export type GroupColumn = DayReducible | (typeof PRICING_COLUMNS)[number];

/**
 * A zone's UTC offset (seconds east of UTC) over an interval: the offset at its start and each
 * change inside it (the instant from which the new offset holds). analytics/zone.ts computes it.
 */
export interface ZoneOffsets { initial: number; changes: readonly { at: Date; offset: number }[] }

/**
 * The org's local day of ChargePeriodStart as days since 1970-01-01, in SQL both engines and
 * ZetaSQL accept with the functions the port already has (UNIX_SECONDS, DIV): UTC seconds plus
 * the zone's offset in force at that instant (a CASE over the DST changes of the range, given as
 * parameters), divided into days. Exact for every zone, with no engine-specific zone function.
 */
function localDayExpr(z: ZoneOffsets, params: Record<string, ParamValue>, types: Record<string, ParamType>): string {
  params.tz_off_0 = z.initial;
  types.tz_off_0 = 'INT64';
  let offset = '@tz_off_0';
  if (z.changes.length) {
    const arms = z.changes.map((c, i) => {
      params[`tz_at_${i + 1}`] = c.at;
      types[`tz_at_${i + 1}`] = 'TIMESTAMP';
      params[`tz_off_${i + 1}`] = c.offset;
      types[`tz_off_${i + 1}`] = 'INT64';
      return `WHEN ChargePeriodStart < @tz_at_${i + 1} THEN @tz_off_${i}`;
    });
    offset = `CASE ${arms.join(' ')} ELSE @tz_off_${z.changes.length} END`;
  }
  return `DIV(UNIX_SECONDS(ChargePeriodStart) + ${offset}, 86400)`;
}

/**
 * The reduction by the org's local day (not by time bucket): money summed exactly per local day ×
 * the grouping columns × billing currency, so what travels grows with days × keys (a 730-day
 * range is 730 days, where 15-minute buckets would be 70,080). `local_day` is days since
 * 1970-01-01. One round-trip; at most maxRows + 1 rows with `maxRows`.
 */
export async function reduceCostsByLocalDay(wh: Warehouse, scope: CostScope, zone: ZoneOffsets, dims: readonly DayReducible[], maxRows?: number): Promise<ColumnarResult> {
  const w = where(scope);
  const params = { ...w.params };
  const types = { ...w.types };
  const day = localDayExpr(zone, params, types);
  const keys = [...new Set<DayReducible>(['BillingCurrency', ...dims])];
  const sql = `SELECT ${day} AS local_day,
      ${keys.map((k) => `${k} AS ${k}`).join(', ')},
      CAST(SUM(BilledCost) AS FLOAT64) AS billed,
      CAST(SUM(EffectiveCost) AS FLOAT64) AS effective,
      CAST(SUM(ListCost) AS FLOAT64) AS list,
      COUNT(*) AS records
    FROM ${wh.table(scope.datasetId, COST_TABLE)}
    WHERE ${w.sql}
    GROUP BY ${['local_day', ...keys].join(', ')}${limitClause(maxRows)}`;
  return wh.queryColumnar({ sql, params: limitParams(params, maxRows), types: limitTypes(types, maxRows) });
}

/** How many rows the scope holds (the real total for paging, which the original lacked). */
export async function countCosts(wh: Warehouse, scope: CostScope): Promise<number> {
  const w = where(scope);
  const [row] = await wh.query({ sql: `SELECT COUNT(*) AS n FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}`, params: w.params, types: w.types });
  return Number(row?.n ?? 0);
}

/** One page of rows, newest first (ties broken by the source record id, so pages are stable). */
export async function pageCosts(wh: Warehouse, scope: CostScope, limit: number, offset: number): Promise<Row[]> {
  const w = where(scope);
  return wh.query({
    sql: `SELECT ${costColumns().join(', ')} FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}
          ORDER BY ChargePeriodStart DESC, x_SourceRecordId DESC LIMIT @limit OFFSET @offset`,
    params: { ...w.params, limit, offset },
    types: { ...w.types, limit: 'INT64', offset: 'INT64' },
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
export async function chunkCosts(wh: Warehouse, scope: CostScope): Promise<ColumnarResult> {
  const w = where(scope);
  return wh.queryColumnar({
    sql: `SELECT ${costColumns().join(', ')} FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql} ORDER BY ChargePeriodStart, x_SourceRecordId`,
    params: w.params,
    types: w.types,
  });
}

/** SaaS rows per subscription and local-time bucket, with the columns the web app's SaaS table shows. */
export async function reduceSaas(wh: Warehouse, scope: CostScope, maxRows?: number): Promise<ColumnarResult> {
  const w = where({ ...scope, costCategories: ['saas'] });
  return wh.queryColumnar({
    sql: `SELECT TIMESTAMP_SECONDS(${BUCKET_SECONDS} * DIV(UNIX_SECONDS(ChargePeriodStart), ${BUCKET_SECONDS})) AS bucket,
        x_SubscriptionId AS subscription_id, ProviderName AS provider_name, PublisherName AS publisher, ServiceName AS service_name, SkuId AS plan_name,
        ResourceName AS display_name, ServiceCategory AS service_category, BillingCurrency AS BillingCurrency,
        CAST(SUM(BilledCost) AS FLOAT64) AS billed, CAST(SUM(EffectiveCost) AS FLOAT64) AS effective, CAST(SUM(ListCost) AS FLOAT64) AS list,
        CAST(MAX(PricingQuantity) AS FLOAT64) AS seats, COUNT(*) AS records
      FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}
      GROUP BY bucket, subscription_id, provider_name, publisher, service_name, plan_name, display_name, service_category, BillingCurrency${limitClause(maxRows)}`,
    params: limitParams(w.params, maxRows),
    types: limitTypes(w.types, maxRows),
  });
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
