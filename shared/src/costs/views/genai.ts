import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { releaseFrames } from '../analytics/release.js';
import { resolveScope, type CostQuery, type Scope } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { HIERARCHY_COLUMNS, PRICING_COLUMNS } from '../ledger/store.js';
import { decimalsOf, period, rankedShares, roundMoney } from './breakdowns.js';

/**
 * GET /genai/{org}/usage, /costs and /costs/summary: the cost ledger's LLM rows (x_CostCategory
 * llm) per org-local day × provider × model × region × hierarchy entity × price version, in
 * the org's currency, through the one reduction and FX path every cost view uses (loadReduced:
 * local days and the rate of each local day). Each row says which price version priced it
 * (x_PricingId) and whether its cost is the provider's or an estimate from the org's prices
 * (x_CostSource). Usage is tokens for pay-as-you-go rows, and the consumed quantity (PTU or GSU
 * hours, GPU hours) for commitment and infrastructure rows, told apart by ConsumedUnit.
 */
const DIMS = ['ProviderName', 'x_Model', 'RegionId', ...PRICING_COLUMNS, ...HIERARCHY_COLUMNS] as const;
const KEYS = ['day', ...DIMS] as const;

export type CostType = 'payg' | 'commitment' | 'infrastructure';

/** The GenAI flow a ledger row belongs to, by what it consumed. */
export function costTypeOf(consumedUnit: string | null): CostType {
  const u = (consumedUnit ?? '').toLowerCase();
  if (/ptu|gsu|model unit|provisioned/.test(u)) return 'commitment';
  if (/gpu|tpu|instance|node/.test(u)) return 'infrastructure';
  return 'payg';
}

type Key = (typeof KEYS)[number];
type Grouped = Record<Key, string | null> & { cost: number; billed_cost: number; input_tokens: number | null; output_tokens: number | null; consumed: number | null; records: number };

async function reduced(ctx: Ctx, scope: Scope) {
  const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, DIMS, ['llm'], { consumed: true });
  const { cur, grand } = period(df, scope.start, scope.end);
  const grouped = cur.height
    ? cur.groupBy([...KEYS]).agg(
      pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('billed_cost').sum().cast(pl.Float64).alias('billed_cost'),
      pl.col('input_tokens').sum().cast(pl.Float64).alias('input_tokens'), pl.col('output_tokens').sum().cast(pl.Float64).alias('output_tokens'),
      pl.col('consumed').sum().cast(pl.Float64).alias('consumed'), pl.col('records').sum().cast(pl.Float64).alias('records'))
    : undefined;
  const rows = ((grouped?.toRecords() ?? []) as unknown as Grouped[])
    .sort((a, b) => String(a.day).localeCompare(String(b.day)) || String(a.ProviderName).localeCompare(String(b.ProviderName)) || String(a.x_Model).localeCompare(String(b.x_Model)) || b.cost - a.cost);
  releaseFrames(df, cur, grouped);
  return { rows, grand, rates };
}

function common(r: Grouped) {
  const type = costTypeOf(r.ConsumedUnit);
  const input = r.input_tokens ?? 0;
  const output = r.output_tokens ?? 0;
  return {
    date: String(r.day), cost_type: type, provider: r.ProviderName ?? 'Unknown', model: r.x_Model, region: r.RegionId ?? 'global',
    input_tokens: type === 'payg' ? input : null, output_tokens: type === 'payg' ? output : null, total_tokens: type === 'payg' ? input + output : null,
    ptu_units: type === 'commitment' ? r.consumed : null, gpu_hours: type === 'infrastructure' ? r.consumed : null, usage_unit: r.ConsumedUnit,
    request_count: r.records,
    pricing_id: r.x_PricingId, cost_source: (r.x_CostSource === 'estimated' ? 'estimated' : 'provider') as 'estimated' | 'provider',
    x_hierarchy_entity_id: r.x_HierarchyEntityId, x_hierarchy_entity_name: r.x_HierarchyEntityName, x_hierarchy_level_code: r.x_HierarchyLevelCode,
    x_hierarchy_path: r.x_HierarchyPath, x_hierarchy_path_names: r.x_HierarchyPathNames,
  };
}

export interface Page { limit: number; offset: number }

function page<T>(rows: T[], p: Page) {
  return { data: rows.slice(p.offset, p.offset + p.limit), pagination: { total: rows.length, limit: p.limit, offset: p.offset, has_more: p.offset + p.limit < rows.length } };
}

/** GenAI usage per local day (tokens, PTU units, GPU hours), no money. */
export async function getGenaiUsage(ctx: Ctx, q: CostQuery & Page) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'genai_usage', [q.limit, q.offset], async () => {
    const started = performance.now();
    const { rows, rates } = await reduced(ctx, scope);
    const all = rows.map(common);
    const sum = (f: (x: (typeof all)[number]) => number | null) => all.reduce((a, x) => a + (f(x) ?? 0), 0);
    const { data, pagination } = page(all, q);
    return envelope(scope, started, rates, data, {
      input_tokens: sum((x) => x.input_tokens), output_tokens: sum((x) => x.output_tokens), total_tokens: sum((x) => x.total_tokens),
      ptu_units: sum((x) => x.ptu_units), gpu_hours: sum((x) => x.gpu_hours), request_count: sum((x) => x.request_count), row_count: all.length,
    }, pagination);
  });
}

/** GenAI costs per local day in the org's currency, each row with its price version and cost source. */
export async function getGenaiCosts(ctx: Ctx, q: CostQuery & Page) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'genai_costs', [q.limit, q.offset], async () => {
    const started = performance.now();
    const { rows, grand, rates } = await reduced(ctx, scope);
    const d = decimalsOf(scope.currency);
    // Rounded so that the rows add up to the rounded total (largest remainders).
    const all = rankedShares(rows, scope.currency, grand).map(({ row, total_cost }) => ({
      ...common(row), cost_date: String(row.day), total_cost, billed_cost: roundMoney(row.billed_cost, d), currency: scope.currency,
    }));
    const { data, pagination } = page(all, q);
    return envelope(scope, started, rates, data, {
      total_cost: roundMoney(grand, d), row_count: all.length,
      estimated_cost: roundMoney(rows.filter((r) => r.x_CostSource === 'estimated').reduce((a, r) => a + r.cost, 0), d),
      provider_cost: roundMoney(rows.filter((r) => r.x_CostSource !== 'estimated').reduce((a, r) => a + r.cost, 0), d),
    }, pagination);
  });
}

function shares<K extends string>(rows: Grouped[], key: (r: Grouped) => K, currency: string, grand: number) {
  const by = new Map<K, { cost: number; records: number; input: number; output: number }>();
  for (const r of rows) {
    const k = key(r);
    const v = by.get(k) ?? { cost: 0, records: 0, input: 0, output: 0 };
    v.cost += r.cost; v.records += r.records; v.input += r.input_tokens ?? 0; v.output += r.output_tokens ?? 0;
    by.set(k, v);
  }
  const list = [...by.entries()].map(([k, v]) => ({ key: k, ...v })).sort((a, b) => b.cost - a.cost);
  return rankedShares(list, currency, grand).map(({ row, total_cost, record_count, percentage }) => ({ key: row.key, total_cost, record_count, percentage, input_tokens: row.input, output_tokens: row.output }));
}

/** GenAI cost totals: by provider, flow and cost source, and by model with include_models. */
export async function getGenaiCostsSummary(ctx: Ctx, q: CostQuery & { include_models: boolean }) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'genai_costs_summary', q.include_models, async () => {
    const started = performance.now();
    const { rows, grand, rates } = await reduced(ctx, scope);
    const d = decimalsOf(scope.currency);
    const by_provider = shares(rows, (r) => r.ProviderName ?? 'Unknown', scope.currency, grand).map(({ key, ...x }) => ({ provider: key, ...x }));
    const by_cost_type = shares(rows, (r) => costTypeOf(r.ConsumedUnit), scope.currency, grand).map(({ key, ...x }) => ({ cost_type: key, ...x }));
    const by_source = shares(rows, (r) => (r.x_CostSource === 'estimated' ? 'estimated' : 'provider'), scope.currency, grand).map(({ key, ...x }) => ({ cost_source: key, ...x }));
    const by_model = q.include_models
      ? shares(rows, (r) => `${r.ProviderName ?? 'Unknown'}|${r.x_Model ?? 'unknown'}`, scope.currency, grand).map(({ key, ...x }) => ({ provider: key.split('|')[0]!, model: key.split('|')[1]!, ...x }))
      : undefined;
    return envelope(scope, started, rates, {
      total_cost: roundMoney(grand, d), currency: scope.currency, by_provider, by_cost_type, by_source, ...(by_model ? { by_model } : {}),
    }, {
      total_cost: roundMoney(grand, d), provider_count: by_provider.length, model_count: new Set(rows.map((r) => `${r.ProviderName}|${r.x_Model}`)).size,
      input_tokens: rows.reduce((a, r) => a + (r.input_tokens ?? 0), 0), output_tokens: rows.reduce((a, r) => a + (r.output_tokens ?? 0), 0),
    });
  });
}
