import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { daysBetweenFilter, loadSpans, sumBy, total } from '../analytics/load.js';
import { addDays, daysBetween } from '../../i18n/dates.js';
import { apportion, decimalsOf, roundMoney } from '../analytics/money.js';
import { envelope } from '../analytics/envelope.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { releaseFrames } from '../analytics/release.js';
import { forecastDetails, forecastMonthEnd } from '../../forecast/month-end.js';

const TOP_SERVICES = 10;

/**
 * GET /costs/{org}/summary. The reduction covers the period, the previous period of the same
 * length and the month to date (each bounded, in parallel); the rest happens on the reduced frame.
 *
 * forecast_month_end: THE forecast (forecast/month-end.ts) of the org's local month in the
 * scope: known SaaS plan costs ahead, usage by series; computed beside the reduction.
 */
export async function getCostSummary(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'summary', q, async () => {
    const started = performance.now();
    const len = daysBetween(scope.start, scope.end) + 1;
    const prevStart = addDays(scope.start, -len);
    const prevEnd = addDays(scope.start, -1);
    const monthStart = `${scope.today.slice(0, 7)}-01`;
    // The period with its previous one, and the month to date: bounded spans, one round-trip; the forecast beside it.
    const [{ df, rates }, forecast] = await Promise.all([
      loadSpans(ctx, scope, [[prevStart, scope.end], [monthStart, scope.today]], ['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory']),
      forecastMonthEnd(ctx, scope),
    ]);
    const cur = daysBetweenFilter(df, scope.start, scope.end);
    const d = decimalsOf(scope.currency);
    const grand = total(cur);
    const billed = total(cur, 'billed_cost');
    const records = cur.height ? Number(cur.select(pl.col('records').sum()).toRecords()[0]!.records ?? 0) : 0;
    const days = cur.height ? (cur.select(pl.col('day').min().alias('min'), pl.col('day').max().alias('max')).toRecords()[0] as { min: string; max: string }) : { min: null, max: null };

    const share = (part: number) => (grand === 0 ? 0 : Math.round((part / grand) * 10_000) / 100);
    const byProvider = sumBy(cur, ['ProviderName']).sort((a, b) => b.cost - a.cost);
    const byCategory = sumBy(cur, ['x_CostCategory']).sort((a, b) => b.cost - a.cost);
    const byDay = sumBy(cur, ['day']).sort((a, b) => (a.day! < b.day! ? -1 : 1));
    const services = sumBy(cur, ['ServiceName', 'ProviderName']).sort((a, b) => b.cost - a.cost);
    const top = services.slice(0, TOP_SERVICES);
    const rest = services.slice(TOP_SERVICES);
    const topParts = [...top.map((s) => s.cost), ...(rest.length ? [rest.reduce((a, s) => a + s.cost, 0)] : [])];

    const pr = apportion(byProvider.map((p) => p.cost), d, grand);
    const ca = apportion(byCategory.map((c) => c.cost), d, grand);
    const dy = apportion(byDay.map((x) => x.cost), d, grand);
    const ts = apportion(topParts, d, grand);

    const prevFrame = daysBetweenFilter(df, prevStart, prevEnd);
    const mtdFrame = daysBetweenFilter(df, monthStart, scope.today);
    const prevTotal = total(prevFrame);
    const mtd = total(mtdFrame);
    const categories = sumBy(cur, ['ServiceCategory']).map((c) => c.ServiceCategory ?? 'Other').sort();
    releaseFrames(df, cur, prevFrame, mtdFrame);
    const roundedTotal = roundMoney(grand, d);
    const roundedPrev = roundMoney(prevTotal, d);

    const summary = {
      total_cost: roundedTotal,
      total_billed_cost: roundMoney(billed, d),
      total_effective_cost: roundedTotal,
      record_count: records,
      min_date: days.min,
      max_date: days.max,
      providers: byProvider.map((p) => p.ProviderName ?? 'Unknown'),
      service_categories: categories,
      breakdown_by_provider: byProvider.map((p, i) => ({ provider: p.ProviderName ?? 'Unknown', total_cost: pr.parts[i]!, record_count: p.records, percentage: share(p.cost) })),
      breakdown_by_category: byCategory.map((c, i) => ({ category: c.x_CostCategory ?? 'unknown', total_cost: ca.parts[i]!, record_count: c.records, percentage: share(c.cost) })),
      daily_trend: byDay.map((x, i) => ({ date: x.day!, total_cost: dy.parts[i]! })),
      top_services: [
        ...top.map((s, i) => ({ service: s.ServiceName ?? 'Unknown', provider: s.ProviderName ?? 'Unknown', total_cost: ts.parts[i]!, record_count: s.records })),
        ...(rest.length ? [{ service: 'other', provider: null, total_cost: ts.parts[top.length]!, record_count: rest.reduce((a, s) => a + s.records, 0) }] : []),
      ],
      previous_period: {
        start_date: prevStart, end_date: prevEnd, total_cost: roundedPrev,
        delta: roundMoney(grand - prevTotal, d),
        percent_change: prevTotal === 0 ? null : Math.round(((grand - prevTotal) / Math.abs(prevTotal)) * 10_000) / 100,
      },
      mtd_cost: roundMoney(mtd, d),
      forecast_month_end: forecast.amount,
      forecast_method: forecast.method,
      forecast: forecastDetails(forecast),
    };
    return envelope(scope, started, rates, null, summary);
  });
}
