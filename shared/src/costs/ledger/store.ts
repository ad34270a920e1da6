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
  costCategories?: readonly string[];
}

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
  list('ServiceCategory', 'service_categories', s.serviceCategories);
  list('x_CostCategory', 'cost_categories', s.costCategories);
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
export const REDUCIBLE = ['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory', 'BillingCurrency', 'x_Model', 'RegionId', 'SubAccountId', 'BillingAccountId', 'ChargeCategory', 'ResourceType', 'PublisherName'] as const;
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
export async function reduceCosts(wh: Warehouse, scope: CostScope, dims: readonly Reducible[], maxRows?: number): Promise<ColumnarResult> {
  const w = where(scope);
  const keys = [...new Set<Reducible>(['BillingCurrency', ...dims])];
  const sql = `SELECT TIMESTAMP_SECONDS(${BUCKET_SECONDS} * DIV(UNIX_SECONDS(ChargePeriodStart), ${BUCKET_SECONDS})) AS bucket,
      ${keys.map((k) => `${k} AS ${k}`).join(', ')},
      CAST(SUM(BilledCost) AS FLOAT64) AS billed,
      CAST(SUM(EffectiveCost) AS FLOAT64) AS effective,
      CAST(SUM(ListCost) AS FLOAT64) AS list,
      SUM(x_InputTokens) AS input_tokens,
      SUM(x_OutputTokens) AS output_tokens,
      COUNT(*) AS records
    FROM ${wh.table(scope.datasetId, COST_TABLE)}
    WHERE ${w.sql}
    GROUP BY ${['bucket', ...keys].join(', ')}${limitClause(maxRows)}`;
  return wh.queryColumnar({ sql, params: limitParams(w.params, maxRows), types: limitTypes(w.types, maxRows) });
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
        ResourceName AS display_name, BillingCurrency AS BillingCurrency,
        CAST(SUM(BilledCost) AS FLOAT64) AS billed, CAST(SUM(EffectiveCost) AS FLOAT64) AS effective, CAST(SUM(ListCost) AS FLOAT64) AS list,
        CAST(MAX(PricingQuantity) AS FLOAT64) AS seats, COUNT(*) AS records
      FROM ${wh.table(scope.datasetId, COST_TABLE)} WHERE ${w.sql}
      GROUP BY bucket, subscription_id, provider_name, publisher, service_name, plan_name, display_name, BillingCurrency${limitClause(maxRows)}`,
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
