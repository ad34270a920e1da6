import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { loadReduced, loadSpans, type DaySpan } from '../../costs/analytics/load.js';
import { resolveScope, type Scope } from '../../costs/analytics/scope.js';
import { rateTable } from '../../costs/rates/rates.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { addDays } from '../../i18n/dates.js';
import { DETECTOR } from './detector.js';
import { median } from './stats.js';
import type { Contributor } from './store.js';

/**
 * What the detector watches: usage. Purchases (reservations, commitments, SaaS seats), taxes,
 * credits and adjustments are scheduled or contractual, not consumption, and SaaS subscriptions
 * (x_CostCategory saas) renew on their plans' dates: all are left out before any statistic.
 */
export const WATCHED_CHARGE_CATEGORIES = ['Usage'] as const;
export const EXCLUDED_COST_CATEGORIES = ['saas'] as const;

/** A series: provider × service, and × model for LLM rows. */
export interface SeriesId { provider: string; service: string; model: string | null; cost_category: string | null }
export const seriesKey = (s: Pick<SeriesId, 'provider' | 'service' | 'model'>): string => [s.provider, s.service, s.model ?? ''].join('|');

export interface OrgSeries {
  scope: Scope;
  series: { id: SeriesId; values: Map<string, number> }[];
  /** The org's first local day with any ledger row in the window. */
  dataStart: string | null;
  /** Average daily watched spend over the baseline days (org currency). */
  averageDaily: number;
  /** The impact a day needs: max(1 % of averageDaily, the currency floor). */
  minImpact: number;
}

/** Rows the detector keeps: usage (or no ChargeCategory at all), never SaaS. */
function watched(df: pl.DataFrame): pl.DataFrame {
  if (df.height === 0) return df;
  return df.filter(
    pl.col('ChargeCategory').isNull().or(pl.col('ChargeCategory').isIn([...WATCHED_CHARGE_CATEGORIES]))
      .and(pl.col('x_CostCategory').isNull().or(pl.col('x_CostCategory').isIn([...EXCLUDED_COST_CATEGORIES]).not())),
  );
}

/** The model of an LLM row is part of its series; other rows' x_Model (none, usually) is not. */
function withModel(df: pl.DataFrame): pl.DataFrame {
  return df.withColumns(pl.when(pl.col('x_CostCategory').eq(pl.lit('llm'))).then(pl.col('x_Model')).otherwise(pl.lit(null).cast(pl.Utf8)).alias('model'));
}

/** The window one detection reads: the baseline of the oldest day a run may start on, through today. */
export function windowDays(today: string): { from: string; to: string } {
  return { from: addDays(today, -(DETECTOR.runSearchDays + DETECTOR.recordDays + 7 * DETECTOR.baselineWeeks)), to: today };
}

/**
 * Every series' daily spend over the detection window, in the org's local days and currency: ONE
 * local-day reduction (the cost views' own, loadReduced: DST-exact days, FX at each day's rate,
 * label allocation) grouped by provider, service, model and the charge columns that decide what
 * is watched, then summed in Polars to a few thousand (day, series) numbers.
 */
export async function loadOrgSeries(ctx: Ctx, orgSlug: string, today: string, entityId?: string): Promise<OrgSeries> {
  const { from, to } = windowDays(today);
  // A scoped detection reads only the entity's subtree (the cost views' hierarchy filter): its series, spend and floor are the subtree's.
  const scope = await resolveScope(ctx, { orgSlug, start_date: from, end_date: to, ...(entityId ? { hierarchy_entity_id: entityId } : {}) });
  const [{ df }, rates] = await Promise.all([
    loadReduced(ctx, scope, from, to, ['ProviderName', 'ServiceName', 'x_Model', 'x_CostCategory', 'ChargeCategory']),
    rateTable(ctx),
  ]);
  const decimals = decimalsOf(scope.currency);
  const usd = scope.currency === 'USD' ? DETECTOR.minImpactUsd : DETECTOR.minImpactUsd * (rates.lookup(scope.currency, today).unitsPerEur / rates.lookup('USD', today).unitsPerEur);
  const floor = roundMoney(usd, decimals);
  if (df.height === 0) return { scope, series: [], dataStart: null, averageDaily: 0, minImpact: floor };
  const dataStart = String(df.select(pl.col('day').min()).toRecords()[0]!.day);
  const kept = withModel(watched(df));
  const grouped = kept.height
    ? kept.groupBy(['day', 'ProviderName', 'ServiceName', 'model']).agg(pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('x_CostCategory').first().alias('cat'))
    : undefined;
  const rows = (grouped?.toRecords() ?? []) as unknown as { day: string; ProviderName: string | null; ServiceName: string | null; model: string | null; cost: number; cat: string | null }[];
  const byKey = new Map<string, { id: SeriesId; values: Map<string, number> }>();
  let baseTotal = 0;
  for (const r of rows) {
    const id: SeriesId = { provider: r.ProviderName ?? 'unknown', service: r.ServiceName ?? 'unknown', model: r.model, cost_category: r.cat };
    const k = seriesKey(id);
    let s = byKey.get(k);
    if (!s) byKey.set(k, (s = { id, values: new Map() }));
    s.values.set(r.day, (s.values.get(r.day) ?? 0) + r.cost);
    if (r.day < today) baseTotal += r.cost;
  }
  const baseDays = Math.max(1, Math.round((Date.parse(today) - Date.parse(dataStart > from ? dataStart : from)) / 86_400_000));
  const averageDaily = baseTotal / baseDays;
  return { scope, series: [...byKey.values()], dataStart, averageDaily, minImpact: Math.max(floor, roundMoney(averageDaily * DETECTOR.minImpactShareOfDaily, decimals)) };
}


/**
 * What moved inside each anomalous series on its peak day: the SKUs' spend that day against
 * their same-weekday medians. One round-trip: each distinct day (peak days and their baseline
 * days) is its own bounded reduction of the anomalous providers only, in parallel.
 */
export async function loadContributors(ctx: Ctx, scope: Scope, dataStart: string, wanted: readonly { key: string; provider: string; peak_day: string }[], top = 5): Promise<Map<string, Contributor[]>> {
  const out = new Map<string, Contributor[]>();
  if (!wanted.length) return out;
  const days = new Set<string>();
  for (const w of wanted) for (let k = 0; k <= DETECTOR.baselineWeeks; k++) days.add(addDays(w.peak_day, -7 * k));
  const spans: DaySpan[] = [...days].map((d) => [d, d]);
  const sorted = [...days].sort();
  const narrowed: Scope = { ...scope, start: sorted[0]!, end: sorted[sorted.length - 1]!, providers: [...new Set(wanted.map((w) => w.provider))] };
  const { df } = await loadSpans(ctx, narrowed, spans, ['ProviderName', 'ServiceName', 'x_Model', 'x_CostCategory', 'ChargeCategory', 'SkuId']);
  const kept = withModel(watched(df));
  if (!kept.height) return out;
  const rows = kept.groupBy(['day', 'ProviderName', 'ServiceName', 'model', 'SkuId']).agg(pl.col('cost').sum().cast(pl.Float64).alias('cost'))
    .toRecords() as unknown as { day: string; ProviderName: string | null; ServiceName: string | null; model: string | null; SkuId: string | null; cost: number }[];
  const bySeries = new Map<string, Map<string, Map<string, number>>>();
  for (const r of rows) {
    const k = seriesKey({ provider: r.ProviderName ?? 'unknown', service: r.ServiceName ?? 'unknown', model: r.model });
    const skus = bySeries.get(k) ?? new Map<string, Map<string, number>>();
    bySeries.set(k, skus);
    const sku = r.SkuId ?? 'unknown';
    const perDay = skus.get(sku) ?? new Map<string, number>();
    skus.set(sku, perDay);
    perDay.set(r.day, (perDay.get(r.day) ?? 0) + r.cost);
  }
  const decimals = decimalsOf(scope.currency);
  for (const w of wanted) {
    const skus = bySeries.get(w.key);
    if (!skus) continue;
    const list: Contributor[] = [];
    for (const [sku, perDay] of skus) {
      const base: number[] = [];
      for (let k = 1; k <= DETECTOR.baselineWeeks; k++) {
        const d = addDays(w.peak_day, -7 * k);
        // Before the org's data starts a day is missing, not zero (as in the series' own baseline).
        if (d < dataStart) break;
        base.push(perDay.get(d) ?? 0);
      }
      const expected = median(base);
      const actual = perDay.get(w.peak_day) ?? 0;
      list.push({ sku, actual: roundMoney(actual, decimals), expected: roundMoney(expected, decimals), delta: roundMoney(actual - expected, decimals) });
    }
    out.set(w.key, list.sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, top));
  }
  return out;
}
