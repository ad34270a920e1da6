import pl from 'nodejs-polars';
import { micros, prng } from './dims.js';
import { SEED_ID_PREFIX } from './cloud-llm.js';
import { allocation, type Allocation } from './hierarchy.js';

/**
 * The `enterprise` seed profile: a ledger shaped like a real GCP billing export of a large org,
 * where the standard seed (10 services, 3 projects) cannot show what breaks. 300 services, 2,000
 * SKUs, 40 projects under 3 billing accounts in 2 currencies (USD, EUR), 6 regions, hourly usage
 * rows with labels (Tags), a weekday/weekend pattern, growth and spikes; per billing account a
 * daily credit, and monthly rows that span the month (support fee, a committed-use purchase, tax),
 * which the local-day reduction spreads. LLM usage and SaaS come from the standard seed's parts.
 * Deterministic by seed; ids `seed-YYYYMMDD-n`, stable per UTC day, so a rerun replaces them.
 */
export const ENTERPRISE = { services: 300, skus: 2000, projects: 40, regions: 6 } as const;

const CATEGORIES = ['Compute', 'Storage', 'Databases', 'Networking', 'Analytics', 'AI and Machine Learning', 'Management and Governance', 'Security', 'Developer Tools', 'Integration', 'Web', 'Other'];
const REAL = ['Compute Engine', 'Cloud Storage', 'BigQuery', 'Cloud SQL', 'Cloud Run', 'Kubernetes Engine', 'Cloud Load Balancing', 'Networking', 'Vertex AI', 'Cloud Logging',
  'Cloud Monitoring', 'Cloud Spanner', 'Firestore', 'Memorystore', 'Pub/Sub', 'Dataflow', 'Dataproc', 'Cloud Functions', 'Artifact Registry', 'Cloud Build',
  'Secret Manager', 'Cloud KMS', 'Cloud Armor', 'Cloud CDN', 'Cloud DNS', 'Cloud NAT', 'Filestore', 'Bigtable', 'Looker', 'Composer'];
const UNITS = ['Hours', 'GiB-Hours', 'GiB', 'Requests', 'vCPU-Seconds', 'TiB', 'Count'];
const REGIONS = [['us-central1', 'Iowa'], ['us-east1', 'South Carolina'], ['europe-west1', 'Belgium'], ['europe-west4', 'Netherlands'], ['asia-south1', 'Mumbai'], ['asia-northeast1', 'Tokyo']] as const;
const ACCOUNTS = [
  { id: '01ENT1-000001-USD001', name: 'Enterprise main (USD)', currency: 'USD' },
  { id: '01ENT2-000002-USD002', name: 'Enterprise research (USD)', currency: 'USD' },
  { id: '01ENT3-000003-EUR003', name: 'Enterprise EU (EUR)', currency: 'EUR' },
] as const;
/** Projects per billing account: 20, 12 and 8. */
const accountOf = (p: number) => (p < 20 ? 0 : p < 32 ? 1 : 2);
const TEAMS = ['TEAM-PLATFORMS', 'TEAM-DATA', 'TEAM-ARCH', 'TEAM-FINOPS', 'PROJ-BU1', 'PROJ-BU2', 'DEPT-CIO', null] as const;

interface Sku { service: number; price: number; unit: string; minQty: number; maxQty: number }

let skus: Sku[] | undefined;
/** SKU j belongs to service j mod 300; its price spans 4 orders of magnitude (fixed by seed 1). */
function skuList(): Sku[] {
  if (skus) return skus;
  const rand = prng(1);
  return (skus = Array.from({ length: ENTERPRISE.skus }, (_, j) => {
    const price = micros(10 ** (-4 + rand() * 4.5)) || 0.000001;
    const minQty = 0.1 + rand() * 5;
    return { service: j % ENTERPRISE.services, price, unit: UNITS[j % UNITS.length]!, minQty, maxQty: minQty * (2 + rand() * 20) };
  }));
}

const serviceName = (s: number) => (s < REAL.length ? REAL[s]! : `Cloud Service ${String(s).padStart(3, '0')}`);
const serviceCategory = (s: number) => CATEGORIES[s % CATEGORIES.length]!;

let dims: pl.DataFrame | undefined;
/** Project × SKU (80,000 rows), `dim` = project × 2,000 + sku: the strings each usage row joins. */
function dimFrame(): pl.DataFrame {
  if (dims) return dims;
  const list = skuList();
  const sku = pl.DataFrame({
    s: list.map((_, j) => j),
    ServiceName: list.map((k) => serviceName(k.service)),
    ServiceCategory: list.map((k) => serviceCategory(k.service)),
    ServiceSubcategory: list.map((k) => `${serviceCategory(k.service)} services`),
    SkuId: list.map((_, j) => `SKU-${String(j).padStart(4, '0')}`),
    PricingUnit: list.map((k) => k.unit),
  }).withColumns(pl.col('s').cast(pl.Int32));
  const ps = Array.from({ length: ENTERPRISE.projects }, (_, p) => p);
  const alloc: Allocation[] = ps.map((p) => allocation(TEAMS[p % TEAMS.length]));
  const proj = pl.DataFrame({
    p: ps,
    BillingCurrency: ps.map((p) => ACCOUNTS[accountOf(p)]!.currency),
    BillingAccountId: ps.map((p) => ACCOUNTS[accountOf(p)]!.id),
    BillingAccountName: ps.map((p) => ACCOUNTS[accountOf(p)]!.name),
    SubAccountId: ps.map((p) => `ent-project-${String(p).padStart(2, '0')}`),
    SubAccountName: ps.map((p) => `Enterprise project ${p}`),
    RegionId: ps.map((p) => REGIONS[p % REGIONS.length]![0]),
    RegionName: ps.map((p) => REGIONS[p % REGIONS.length]![1]),
    env: ps.map((p) => ['prod', 'staging', 'dev'][p % 3]!),
    team: ps.map((p) => `team-${p % 8}`),
    cost_center: ps.map((p) => `cc-${100 + (p % 5)}`),
    x_HierarchyEntityId: alloc.map((a) => a.x_HierarchyEntityId),
    x_HierarchyEntityName: alloc.map((a) => a.x_HierarchyEntityName),
    x_HierarchyLevelCode: alloc.map((a) => a.x_HierarchyLevelCode),
    x_HierarchyPath: alloc.map((a) => a.x_HierarchyPath),
    x_HierarchyPathNames: alloc.map((a) => a.x_HierarchyPathNames),
  }).withColumns(pl.col('p').cast(pl.Int32), ...['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'].map((c) => pl.col(c).cast(pl.Utf8)));
  const tag = (key: string, col: string) => pl.struct([pl.lit(key).alias('Key'), pl.col(col).alias('Value')]);
  // Tags per project (40 rows): building list<struct> columns is slow in nodejs-polars 0.24.1
  // (concatList ~15 us a row), so each usage row gathers its project's list by a join instead.
  tagFrame = proj.select(pl.col('p'), pl.concatList([tag('env', 'env'), tag('team', 'team'), tag('cost_center', 'cost_center')]).alias('Tags'));
  return (dims = proj.join(sku, { how: 'cross' })
    .withColumns(
      pl.col('p').mul(ENTERPRISE.skus).add(pl.col('s')).cast(pl.Int32).alias('dim'),
      pl.concatString([pl.lit('//cloudbilling.googleapis.com/projects/'), pl.col('SubAccountId'), pl.lit('/skus/'), pl.col('SkuId')], '').alias('ResourceId'),
      pl.concatString([pl.col('SubAccountId'), pl.lit('-'), pl.col('SkuId')], '').alias('ResourceName'),
    )
    .drop('p', 's', 'env', 'team', 'cost_center'));
}
let tagFrame: pl.DataFrame | undefined;

/** A day's multiplier: weekends at 70 %, 30 % growth a year, and on about one day in 37 a 5x spike of one SKU in 50. */
function dayFactor(dayMs: number): { base: number; spikeDay: boolean } {
  const day = Math.floor(dayMs / 86_400_000);
  const weekday = new Date(dayMs).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.7 : 1;
  return { base: weekend * (1 + 0.3 * ((day - 20_000) / 365)), spikeDay: (day * 2_654_435_761) % 37 === 0 };
}

export interface EnterpriseChunk {
  /** UTC day starts of the chunk. */
  dayStartsMs: number[];
  /** Usage rows per UTC day (besides the LLM rows the standard part writes, and the few account rows). */
  rowsPerDay: number;
  /** The first free row number of each day's ids (the LLM part took those below it). */
  firstId: number;
  seed: number;
  now: Date;
}

interface RowPlan { sku: Int32Array; project: Int32Array; qty: Float64Array; discounted: Uint8Array }
const plans = new Map<string, RowPlan>();
/**
 * What row i of every day bills: the same SKU, project and base quantity each day (a billing
 * export's rows are the same resources day after day), so a service's daily total moves with the
 * day's factor and a little noise, not with which SKUs a day happened to draw (drawing them anew
 * each day made services jump 100-800 % at random). The first 2,000 rows cover every SKU once;
 * the rest favour popular SKUs and projects (a long tail).
 */
function rowPlan(perDay: number, seed: number): RowPlan {
  const key = `${perDay}|${seed}`;
  let plan = plans.get(key);
  if (plan) return plan;
  const rand = prng(seed ^ 0x91a7);
  const catalog = skuList();
  plan = { sku: new Int32Array(perDay), project: new Int32Array(perDay), qty: new Float64Array(perDay), discounted: new Uint8Array(perDay) };
  for (let i = 0; i < perDay; i++) {
    const s = i < ENTERPRISE.skus ? i : Math.floor(ENTERPRISE.skus * rand() ** 2);
    const sku = catalog[s]!;
    plan.sku[i] = s;
    plan.project[i] = Math.floor(ENTERPRISE.projects * rand() ** 1.5);
    plan.qty[i] = sku.minQty + rand() * (sku.maxQty - sku.minQty);
    plan.discounted[i] = rand() < 0.3 ? 1 : 0;
  }
  if (plans.size > 8) plans.clear();
  plans.set(key, plan);
  return plan;
}

/** One chunk of the enterprise profile's cloud rows, as a Polars frame of ledger columns (built in typed arrays, joined to the dimension frame). */
export function enterpriseChunk(a: EnterpriseChunk): pl.DataFrame {
  const perDay = a.rowsPerDay;
  const n = a.dayStartsMs.length * perDay;
  const start = new Float64Array(n);
  const dim = new Int32Array(n);
  const proj = new Int32Array(n);
  const qty = new Float64Array(n);
  const cost = new Float64Array(n);
  const list = new Float64Array(n);
  const rid = new Int32Array(n);
  const catalog = skuList();
  const plan = rowPlan(perDay, a.seed);
  const rand = prng(a.seed ^ 0x5eed ^ Math.floor(a.dayStartsMs[0]! / 86_400_000));
  let k = 0;
  for (const day of a.dayStartsMs) {
    const f = dayFactor(day);
    for (let i = 0; i < perDay; i++, k++) {
      const s = plan.sku[i]!;
      const p = plan.project[i]!;
      const sku = catalog[s]!;
      // The row's own usage, ±15 % from day to day.
      const q = plan.qty[i]! * (0.85 + 0.3 * rand());
      const spike = f.spikeDay && s % 50 === 0 ? 5 : 1;
      dim[k] = p * ENTERPRISE.skus + s;
      proj[k] = p;
      start[k] = day + (i % 24) * 3_600_000;
      qty[k] = micros(q);
      list[k] = micros(q * sku.price * f.base * spike);
      cost[k] = plan.discounted[i] ? micros(list[k]! * 0.8) : list[k]!;
      rid[k] = a.firstId + i;
    }
  }
  const usage = pl.DataFrame([
    pl.Series('ChargePeriodStart', start).cast(pl.Int64).cast(pl.Datetime('ms')),
    pl.Series('dim', dim), pl.Series('p', proj),
    pl.Series('qty', qty), pl.Series('cost', cost), pl.Series('list', list),
    pl.Series('rid', rid),
  ]).join(dimFrame(), { on: 'dim', how: 'left' })
    .join(tagFrame!, { on: 'p', how: 'left' }).withColumns(
    pl.col('ChargePeriodStart').add(pl.lit(3_600_000).cast(pl.Duration('ms'))).alias('ChargePeriodEnd'),
    pl.lit('Usage').alias('ChargeCategory'), pl.lit('Usage-Based').alias('ChargeFrequency'),
    pl.concatString([pl.col('SkuId'), pl.lit(' ('), pl.col('RegionId'), pl.lit(')')], '').alias('ChargeDescription'),
    pl.col('PricingUnit').alias('ConsumedUnit'),
    pl.lit('Usage').alias('ResourceType'),
  );
  const frames = [finish(usage, a.now), accountRows(a.dayStartsMs, a.firstId + perDay, a.now)];
  // Not sorted: a sort carrying the Tags lists costs more than the rest of the chunk (the load does not care).
  return pl.concat(frames.map((f) => f.select(...OUT)), { how: 'vertical' });
}

/**
 * Per billing account: a credit each day (negative, ChargeCategory Credit), and on the first of a
 * UTC month a support fee, a committed-use purchase and tax, each spanning that month.
 */
function accountRows(dayStartsMs: number[], firstId: number, now: Date): pl.DataFrame {
  const rows: { start: number; end: number; acct: number; kind: string; amount: number; n: number }[] = [];
  for (const day of dayStartsMs) {
    const d = new Date(day);
    ACCOUNTS.forEach((_, acct) => {
      const scale = acct === 2 ? 0.4 : acct === 1 ? 0.6 : 1;
      rows.push({ start: day, end: day + 86_400_000, acct, kind: 'Credit', amount: micros(-120 * scale * dayFactor(day).base), n: firstId + acct });
      if (d.getUTCDate() === 1) {
        const end = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
        rows.push({ start: day, end, acct, kind: 'Support', amount: micros(15_000 * scale), n: firstId + 3 + acct * 3 });
        rows.push({ start: day, end, acct, kind: 'Purchase', amount: micros(40_000 * scale), n: firstId + 4 + acct * 3 });
        rows.push({ start: day, end, acct, kind: 'Tax', amount: micros(9_000 * scale), n: firstId + 5 + acct * 3 });
      }
    });
  }
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  const category: Record<string, string> = { Credit: 'Credit', Support: 'Usage', Purchase: 'Purchase', Tax: 'Tax' };
  const frequency: Record<string, string> = { Credit: 'Usage-Based', Support: 'Recurring', Purchase: 'One-Time', Tax: 'Recurring' };
  const service: Record<string, string> = { Credit: 'Compute Engine', Support: 'Support', Purchase: 'Compute Engine', Tax: 'Tax' };
  const df = pl.DataFrame({
    ChargePeriodStart: col((r) => r.start), ChargePeriodEnd: col((r) => r.end),
    cost: col((r) => r.amount), rid: col((r) => r.n),
    ChargeCategory: col((r) => category[r.kind]!), ChargeFrequency: col((r) => frequency[r.kind]!),
    ServiceName: col((r) => service[r.kind]!), ChargeDescription: col((r) => `${r.kind} (${ACCOUNTS[r.acct]!.name})`),
    BillingCurrency: col((r) => ACCOUNTS[r.acct]!.currency), BillingAccountId: col((r) => ACCOUNTS[r.acct]!.id), BillingAccountName: col((r) => ACCOUNTS[r.acct]!.name),
    SkuId: col((r) => `ACCOUNT-${r.kind.toUpperCase()}`),
  }).withColumns(
    pl.col('ChargePeriodStart').cast(pl.Int64).cast(pl.Datetime('ms')), pl.col('ChargePeriodEnd').cast(pl.Int64).cast(pl.Datetime('ms')),
    pl.col('cost').alias('list'), pl.lit(null).cast(pl.Float64).alias('qty'), pl.col('rid').cast(pl.Int32),
    pl.lit('Other').alias('ServiceCategory'), pl.lit('Other').alias('ServiceSubcategory'),
    ...['SubAccountId', 'SubAccountName', 'RegionId', 'RegionName', 'PricingUnit', 'ConsumedUnit', 'ResourceId', 'ResourceName', 'ResourceType',
      'x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'].map((c) => pl.lit(null).cast(pl.Utf8).alias(c)),
    pl.lit(null).alias('Tags'),
  );
  // An all-null Tags column must still be a list of Key/Value records.
  dimFrame();
  const tags = tagFrame!.getColumn('Tags').dtype;
  return finish(df.withColumns(pl.col('Tags').cast(tags)), now);
}

/** The columns both parts share, with money, ids and the provider's constants. */
function finish(df: pl.DataFrame, now: Date): pl.DataFrame {
  return df.withColumns(
    pl.col('cost').alias('BilledCost'), pl.col('cost').alias('EffectiveCost'), pl.col('list').alias('ListCost'), pl.col('cost').alias('ContractedCost'),
    pl.col('qty').alias('PricingQuantity'), pl.col('qty').alias('ConsumedQuantity'),
    pl.lit('Google Cloud').alias('ProviderName'), pl.lit('Google Cloud').alias('PublisherName'), pl.lit('Google Cloud').alias('InvoiceIssuerName'),
    pl.lit('cloud').alias('x_CostCategory'), pl.lit(null).cast(pl.Utf8).alias('x_Model'), pl.lit('gcp_billing_export').alias('x_SourceSystem'),
    pl.lit(null).cast(pl.Int64).alias('x_InputTokens'), pl.lit(null).cast(pl.Int64).alias('x_OutputTokens'),
    pl.col('ChargePeriodStart').dt.truncate('1mo').alias('BillingPeriodStart'),
    pl.col('ChargePeriodStart').dt.truncate('1mo').add(pl.lit(32 * 86_400_000).cast(pl.Duration('ms'))).dt.truncate('1mo').alias('BillingPeriodEnd'),
    pl.concatString([pl.lit(SEED_ID_PREFIX), pl.col('ChargePeriodStart').dt.strftime('%Y%m%d'), pl.lit('-'), pl.col('rid').cast(pl.Utf8)], '').alias('x_SourceRecordId'),
    pl.lit(now.getTime()).cast(pl.Int64).cast(pl.Datetime('ms')).alias('x_UpdatedAt'),
  );
}

const OUT = ['ChargePeriodStart', 'ChargePeriodEnd', 'BillingPeriodStart', 'BillingPeriodEnd', 'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity',
  'BillingCurrency', 'BillingAccountId', 'BillingAccountName', 'SubAccountId', 'SubAccountName', 'ProviderName', 'PublisherName', 'InvoiceIssuerName',
  'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'SkuId', 'ChargeDescription', 'PricingUnit', 'ConsumedUnit', 'RegionId', 'RegionName',
  'ResourceId', 'ResourceName', 'ResourceType', 'ChargeCategory', 'ChargeFrequency', 'Tags', 'x_CostCategory', 'x_Model', 'x_SourceSystem', 'x_InputTokens', 'x_OutputTokens',
  'x_SourceRecordId', 'x_UpdatedAt', 'x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'] as const;

