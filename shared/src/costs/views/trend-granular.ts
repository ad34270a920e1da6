import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { addDays } from '../../i18n/dates.js';
import { envelope } from '../analytics/envelope.js';
import { convert, localDays, readColumnar, unconverted } from '../analytics/frame.js';
import { apportion, decimalsOf, roundMoney } from '../analytics/money.js';
import { releaseFrames } from '../analytics/release.js';
import { costScope, resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { dayWindow } from '../analytics/load.js';
import { cachedView } from '../cache/result-cache.js';
import { HIERARCHY_COLUMNS, reduceCostsByLocalDay } from '../ledger/store.js';
import { COST_LIMITS } from '../limits.js';
import { rateTable } from '../rates/rates.js';

/** The longest range /trend-granular answers (the original's bound). */
export const GRANULAR_MAX_DAYS = 730;

export interface HierarchyOption { id: string; name: string; path: string }

/**
 * GET /costs/{org}/trend-granular: the dashboard's one call, from which it builds its periods and
 * filter lists in the browser: cost per local day (the org's, not the server's) × provider ×
 * category (genai | cloud | subscription | other) × hierarchy entity, sorted by date, with the
 * filter values present. The warehouse reduces by local day (the zone's offsets in SQL), so what
 * travels is days × keys, as for every view; FX per local day in Polars. Money is rounded
 * once: the rows add up to `summary.total_cost`. `days` means the last N local days up to
 * `end_date` (default today) unless both `start_date` and `end_date` are given.
 */
export async function getCostTrendGranular(ctx: Ctx, q: CostQuery & { days: number; clear_cache?: boolean }) {
  const both = q.start_date !== undefined && q.end_date !== undefined;
  const base = both ? undefined : await resolveScope(ctx, { ...q, start_date: undefined });
  const scope = await resolveScope(ctx, both ? q : { ...q, start_date: addDays(base!.end, -(q.days - 1)), end_date: base!.end }, { maxDays: GRANULAR_MAX_DAYS });
  return cachedView(ctx, scope, 'trend-granular', null, async () => {
    const started = performance.now();
    const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
    const [bytes, rates] = await Promise.all([
      reduceCostsByLocalDay(ctx.warehouse, costScope(scope, fromUtc, toUtc), dayWindow(scope.timeZone, scope.start, scope.end), ['ProviderName', 'x_CostCategory', ...HIERARCHY_COLUMNS], COST_LIMITS.granularRows),
      rateTable(ctx),
    ]);
    const reduced = readColumnar(bytes);
    if (reduced.height > COST_LIMITS.granularRows) {
      const message = `The range reduces to more than ${COST_LIMITS.granularRows} rows (local days × providers × categories × hierarchy entities × billing currencies); ask for fewer days (days, or start_date/end_date)`;
      throw new ValidationError(message, { days: [message] });
    }
    const local = localDays(reduced).withColumns(pl.col('BillingCurrency').fillNull(scope.currency));
    const converted = convert(local, rates, scope.currency);
    const { df, missing } = unconverted(converted.df, scope.currency, scope.start, scope.end);
    const c = pl.col('x_CostCategory');
    const keys = ['day', 'ProviderName', 'category', ...HIERARCHY_COLUMNS];
    const grouped = df.height
      ? df.withColumns(
        pl.col('effective').mul(pl.col('fx')).fillNull(0).alias('cost'),
        pl.when(c.eq(pl.lit('llm'))).then(pl.lit('genai')).when(c.eq(pl.lit('saas'))).then(pl.lit('subscription')).when(c.eq(pl.lit('cloud'))).then(pl.lit('cloud')).otherwise(pl.lit('other')).alias('category'),
      ).groupBy(keys).agg(pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('records').sum().cast(pl.Float64).alias('records'))
        .sort(['day', 'ProviderName', 'category', 'x_HierarchyPath', 'x_HierarchyEntityId'])
      : undefined;
    const col = <T>(name: string): T[] => (grouped ? (grouped.getColumn(name).toArray() as T[]) : []);
    const days = col<string>('day');
    const providers = col<string | null>('ProviderName');
    const categories = col<string>('category');
    const costs = col<number>('cost');
    const records = col<number>('records');
    const h = Object.fromEntries(HIERARCHY_COLUMNS.map((k) => [k, col<string | null>(k)])) as Record<(typeof HIERARCHY_COLUMNS)[number], (string | null)[]>;
    releaseFrames(reduced, local, converted.df, df, grouped);

    const d = decimalsOf(scope.currency);
    const grand = costs.reduce((a, b) => a + b, 0);
    const parts = apportion(costs, d, grand).parts;
    const data = days.map((day, i) => ({
      date: day, provider: providers[i] ?? 'Unknown', category: categories[i] as 'genai' | 'cloud' | 'subscription' | 'other',
      total_cost: parts[i]!, record_count: records[i]!,
      hierarchy_entity_id: h.x_HierarchyEntityId[i] ?? null, hierarchy_entity_name: h.x_HierarchyEntityName[i] ?? null,
      hierarchy_level_code: h.x_HierarchyLevelCode[i] ?? null, hierarchy_path: h.x_HierarchyPath[i] ?? null, hierarchy_path_names: h.x_HierarchyPathNames[i] ?? null,
    }));
    const levels = hierarchyOptions(h.x_HierarchyPath, h.x_HierarchyPathNames);
    return envelope(scope, started, { used: converted.used, missing }, data, {
      total_cost: roundMoney(grand, d),
      record_count: records.reduce((a, b) => a + b, 0),
      granular_rows: data.length,
      date_range: { start: scope.start, end: scope.end },
      available_filters: {
        providers: [...new Set(data.map((r) => r.provider))].sort(),
        categories: [...new Set(categories)].sort(),
        departments: levels[0] ?? [], projects: levels[1] ?? [], teams: levels[2] ?? [],
      },
    });
  }, { fresh: q.clear_cache === true });
}

/**
 * The entities at hierarchy levels 1, 2, 3 that the rows' paths pass through (a team's row names
 * its department and project too), each with the name its path gives it, sorted by name.
 */
function hierarchyOptions(paths: (string | null)[], names: (string | null)[]): HierarchyOption[][] {
  const seen = new Map<string, { level: number; option: HierarchyOption }>();
  const done = new Set<string>();
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    if (!path) continue;
    const key = `${path}|${names[i] ?? ''}`;
    if (done.has(key)) continue;
    done.add(key);
    const ids = path.split('/').filter(Boolean);
    const labels = (names[i] ?? '').split('>').map((x) => x.trim());
    ids.forEach((id, level) => {
      if (level > 2 || seen.has(id)) return;
      seen.set(id, { level, option: { id, name: labels[level] || id, path: `/${ids.slice(0, level + 1).join('/')}` } });
    });
  }
  const out: HierarchyOption[][] = [[], [], []];
  for (const { level, option } of seen.values()) out[level]!.push(option);
  for (const l of out) l.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
