import pl from 'nodejs-polars';
import { GCP_PROJECTS, GCP_SKUS, micros, prng } from './dims.js';
import { allocation, SEED_ALLOCATION, type Allocation } from './hierarchy.js';

/** Every usage row the seed writes has an x_SourceRecordId starting with this (`seed-YYYYMMDD-n`). */
export const SEED_ID_PREFIX = 'seed-';

/** A model's price the seed estimates LLM cost with; `pricingId` is the version's (null: the shipped defaults, no org version). */
export interface LlmPrice { providerName: string; model: string; inputPer1k: number; outputPer1k: number; pricingId: string | null }

/**
 * One chunk of hourly GCP and LLM usage rows for UTC days, as a Polars frame with the ledger's
 * column names. Numbers are made in typed arrays and strings come from small dimension frames
 * joined on an index, so 10M rows never exist as JS objects or JS string arrays.
 */
export function usageChunk(a: { dayStartsMs: number[]; rowsPerDay: number; llmShare: number; llm: readonly LlmPrice[]; seed: number; firstRowId: number; now: Date }): pl.DataFrame {
  const perDay = a.rowsPerDay;
  const n = a.dayStartsMs.length * perDay;
  const start = new Float64Array(n);
  const dim = new Int32Array(n);
  const isLlm = new Uint8Array(n);
  const qty = new Float64Array(n);
  const cost = new Float64Array(n);
  const list = new Float64Array(n);
  const inTok = new Float64Array(n);
  const outTok = new Float64Array(n);
  const rand = prng(a.seed ^ Math.floor(a.dayStartsMs[0]! / 86_400_000));
  const llmRows = a.llm.length ? Math.round(perDay * a.llmShare) : 0;
  const cloudDims = GCP_SKUS.length * GCP_PROJECTS.length;
  let k = 0;
  for (const day of a.dayStartsMs) {
    for (let i = 0; i < perDay; i++, k++) {
      const hour = i % 24;
      if (i < llmRows) {
        const m = Math.floor(rand() * a.llm.length);
        const p = a.llm[m]!;
        const tin = Math.floor(200 + rand() * 40_000);
        const tout = Math.floor(50 + rand() * 8_000);
        isLlm[k] = 1;
        dim[k] = m;
        // LLM calls land at any minute, so +05:30 and +05:45 local days are cut mid-hour.
        start[k] = day + hour * 3_600_000 + Math.floor(rand() * 60) * 60_000;
        inTok[k] = tin;
        outTok[k] = tout;
        qty[k] = tin + tout;
        cost[k] = micros((tin / 1000) * p.inputPer1k + (tout / 1000) * p.outputPer1k);
        list[k] = cost[k]!;
      } else {
        const d = Math.floor(rand() * cloudDims);
        const sku = GCP_SKUS[d % GCP_SKUS.length]!;
        const q = sku.minQty + rand() * (sku.maxQty - sku.minQty);
        dim[k] = d;
        start[k] = day + hour * 3_600_000;
        qty[k] = micros(q);
        list[k] = micros(q * sku.price);
        // Committed-use and sustained-use discounts: effective cost below list on some rows.
        cost[k] = rand() < 0.3 ? micros(list[k]! * 0.8) : list[k]!;
      }
    }
  }
  const idx = pl.Series('rid', Array.from({ length: n }, (_, i) => a.firstRowId + i)).cast(pl.Int64);
  const base = pl.DataFrame([
    idx,
    pl.Series('ChargePeriodStart', start).cast(pl.Int64).cast(pl.Datetime('ms')),
    pl.Series('dim', dim),
    pl.Series('is_llm', isLlm),
    pl.Series('qty', qty),
    pl.Series('cost', cost),
    pl.Series('list', list),
    pl.Series('x_InputTokens', inTok).cast(pl.Int64),
    pl.Series('x_OutputTokens', outTok).cast(pl.Int64),
  ]);
  const cloud = base.filter(pl.col('is_llm').eq(0)).join(cloudDimFrame(), { on: 'dim', how: 'left' })
    .withColumns(...money(), pl.lit(null).cast(pl.Int64).alias('x_InputTokens'), pl.lit(null).cast(pl.Int64).alias('x_OutputTokens'));
  const llm = base.filter(pl.col('is_llm').eq(1)).join(llmDimFrame(a.llm), { on: 'dim', how: 'left' }).withColumns(...money());
  const both = pl.concat([cloud.select(...COLUMNS), llm.select(...COLUMNS)], { how: 'vertical' });
  const updated = a.now.getTime();
  return both.withColumns(
    pl.col('ChargePeriodStart').add(pl.lit(3_600_000).cast(pl.Duration('ms'))).alias('ChargePeriodEnd'),
    // Providers bill per UTC calendar month (FOCUS: start inclusive, end exclusive).
    pl.col('ChargePeriodStart').dt.truncate('1mo').alias('BillingPeriodStart'),
    pl.col('ChargePeriodStart').dt.truncate('1mo').add(pl.lit(32 * 86_400_000).cast(pl.Duration('ms'))).dt.truncate('1mo').alias('BillingPeriodEnd'),
    // Stable per UTC day and row of that day, whatever range the run covers: a rerun rewrites the same ids.
    pl.concatString([pl.lit(SEED_ID_PREFIX), pl.col('ChargePeriodStart').dt.strftime('%Y%m%d'), pl.lit('-'), pl.col('rid').modulo(perDay).cast(pl.Utf8)], '').alias('x_SourceRecordId'),
    pl.lit(updated).cast(pl.Int64).cast(pl.Datetime('ms')).alias('x_UpdatedAt'),
  ).drop('rid', 'dim', 'is_llm', 'qty', 'cost', 'list').sort('ChargePeriodStart');
}

const COLUMNS = ['rid', 'dim', 'is_llm', 'qty', 'cost', 'list', 'ChargePeriodStart', 'x_InputTokens', 'x_OutputTokens',
  'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity',
  'BillingCurrency', 'BillingAccountId', 'BillingAccountName', 'SubAccountId', 'SubAccountName', 'ProviderName', 'PublisherName', 'InvoiceIssuerName',
  'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'SkuId', 'ChargeDescription', 'PricingUnit', 'ConsumedUnit', 'RegionId', 'RegionName',
  'ResourceId', 'ResourceName', 'ResourceType', 'ChargeCategory', 'ChargeFrequency', 'x_CostCategory', 'x_Model', 'x_SourceSystem', 'x_PricingId', 'x_CostSource',
  'x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'] as const;

function money() {
  return [
    pl.col('cost').alias('BilledCost'), pl.col('cost').alias('EffectiveCost'), pl.col('list').alias('ListCost'), pl.col('cost').alias('ContractedCost'),
    pl.col('qty').alias('PricingQuantity'), pl.col('qty').alias('ConsumedQuantity'),
  ];
}

let cloudDims: pl.DataFrame | undefined;
function cloudDimFrame(): pl.DataFrame {
  if (cloudDims) return cloudDims;
  const rows = GCP_PROJECTS.flatMap((proj, pi) => GCP_SKUS.map((sku, si) => ({ dim: pi * GCP_SKUS.length + si, proj, sku })));
  rows.sort((x, y) => x.dim - y.dim);
  const col = (f: (r: (typeof rows)[number]) => string | null) => rows.map(f);
  return (cloudDims = asDims(pl.DataFrame({
    dim: rows.map((r) => r.dim),
    BillingCurrency: col((r) => r.proj.currency),
    BillingAccountId: col((r) => r.proj.billingAccount),
    BillingAccountName: col((r) => r.proj.billingName),
    SubAccountId: col((r) => r.proj.id),
    SubAccountName: col((r) => r.proj.name),
    ProviderName: col(() => 'Google Cloud'),
    PublisherName: col(() => 'Google Cloud'),
    InvoiceIssuerName: col(() => 'Google Cloud'),
    ServiceName: col((r) => r.sku.service),
    ServiceCategory: col((r) => r.sku.category),
    ServiceSubcategory: col((r) => r.sku.subcategory),
    SkuId: col((r) => `${r.sku.service.replace(/\W+/g, '')}-${r.sku.sku.replace(/\W+/g, '')}`),
    ChargeDescription: col((r) => `${r.sku.sku} (${r.proj.region})`),
    PricingUnit: col((r) => r.sku.unit),
    ConsumedUnit: col((r) => r.sku.unit),
    RegionId: col((r) => r.proj.region),
    RegionName: col((r) => r.proj.regionName),
    ResourceId: col((r) => `//${r.sku.service.toLowerCase().replace(/\W+/g, '')}.googleapis.com/projects/${r.proj.id}/${r.sku.resourceType.toLowerCase().replace(/\W+/g, '-')}`),
    ResourceName: col((r) => `${r.proj.id}-${r.sku.resourceType.toLowerCase().replace(/\W+/g, '-')}`),
    ResourceType: col((r) => r.sku.resourceType),
    ChargeCategory: col(() => 'Usage'),
    ChargeFrequency: col(() => 'Usage-Based'),
    x_CostCategory: col(() => 'cloud'),
    x_Model: col(() => null),
    x_SourceSystem: col(() => 'gcp_billing_export'),
    x_PricingId: col(() => null),
    x_CostSource: col(() => 'provider'),
    ...hierarchyColumns(rows.map((r) => allocation(SEED_ALLOCATION.gcpProject[r.proj.id]))),
  })));
}

function llmDimFrame(prices: readonly LlmPrice[]): pl.DataFrame {
  const col = (f: (p: LlmPrice) => string | null) => prices.map(f);
  return asDims(pl.DataFrame({
    dim: prices.map((_, i) => i),
    BillingCurrency: col(() => 'USD'),
    BillingAccountId: col((p) => `${p.providerName.toLowerCase().replace(/\W+/g, '-')}-org`),
    BillingAccountName: col((p) => `${p.providerName} organization`),
    SubAccountId: col(() => 'default-project'),
    SubAccountName: col(() => 'Default project'),
    ProviderName: col((p) => p.providerName),
    PublisherName: col((p) => p.providerName),
    InvoiceIssuerName: col((p) => p.providerName),
    ServiceName: col((p) => `${p.providerName} API`),
    ServiceCategory: col(() => 'AI and Machine Learning'),
    ServiceSubcategory: col(() => 'Generative AI'),
    SkuId: col((p) => p.model),
    ChargeDescription: col((p) => `${p.model} tokens`),
    PricingUnit: col(() => 'Tokens'),
    ConsumedUnit: col(() => 'Tokens'),
    RegionId: col(() => null),
    RegionName: col(() => null),
    ResourceId: col((p) => `model/${p.model}`),
    ResourceName: col((p) => p.model),
    ResourceType: col(() => 'Model'),
    ChargeCategory: col(() => 'Usage'),
    ChargeFrequency: col(() => 'Usage-Based'),
    x_CostCategory: col(() => 'llm'),
    x_Model: col((p) => p.model),
    x_SourceSystem: col(() => 'llm_usage_api'),
    // Tokens priced with the org's price version in force (the GenAI costs say which, and that it is an estimate).
    x_PricingId: col((p) => p.pricingId),
    x_CostSource: col(() => 'estimated'),
    ...hierarchyColumns(prices.map((p) => allocation(SEED_ALLOCATION.llmProvider[p.providerName]))),
  }));
}

/** Dimension frames: `dim` as Int32, every other column text (an all-null column would be Float64). */
function asDims(df: pl.DataFrame): pl.DataFrame {
  return df.withColumns(pl.col('dim').cast(pl.Int32), ...df.columns.filter((c) => c !== 'dim').map((c) => pl.col(c).cast(pl.Utf8)));
}


/** The hierarchy columns of dimension rows, one allocation per row. */
function hierarchyColumns(rows: Allocation[]): Record<keyof Allocation, (string | null)[]> {
  const keys = ['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'] as const;
  return Object.fromEntries(keys.map((k) => [k, rows.map((r) => r[k])])) as Record<keyof Allocation, (string | null)[]>;
}
