import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { releaseFrames } from '../analytics/release.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { decimalsOf, period, rankedShares, roundMoney } from './breakdowns.js';
import { addDays, daysBetween, startOfLocalDay } from '../../i18n/dates.js';
import { daysInMonth, daysInYear } from '../analytics/periods.js';
import { localIso } from '../analytics/zone.js';

/** Cost per 1,000 tokens, unrounded money at 6 decimals (a rate, not an amount). */
function per1k(cost: number, tokens: number): number | null {
  return tokens > 0 ? Math.round((cost / tokens) * 1000 * 1e6) / 1e6 : null;
}

/**
 * GET /costs/{org}/llm (also /genai): LLM usage (x_CostCategory llm) per provider and model:
 * cost, input and output tokens (x_InputTokens, x_OutputTokens), and cost per 1k tokens. Each
 * row also carries the FOCUS fields the web app's cost table shows (ServiceProviderName,
 * ServiceName, ChargePeriodStart/End as the first and the end of the last local day with rows,
 * BilledCost, EffectiveCost, Savings, run rates), and the summary what its CostSummary reads.
 */
export async function getLlmCosts(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'llm', null, async () => {
    const started = performance.now();
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'x_Model', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory'], ['llm']);
    const { cur, grand } = period(df, scope.start, scope.end);
    const grouped = cur.height
      ? cur.groupBy(['ProviderName', 'x_Model']).agg(
        pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('billed_cost').sum().cast(pl.Float64).alias('billed_cost'),
        pl.col('input_tokens').sum().cast(pl.Float64).alias('input_tokens'), pl.col('output_tokens').sum().cast(pl.Float64).alias('output_tokens'),
        pl.col('records').sum().cast(pl.Float64).alias('records'), pl.col('list_cost').sum().cast(pl.Float64).alias('list_cost'),
        pl.col('ServiceName').max().alias('ServiceName'), pl.col('ServiceCategory').max().alias('ServiceCategory'), pl.col('ServiceSubcategory').max().alias('ServiceSubcategory'),
        pl.col('day').min().alias('first_day'), pl.col('day').max().alias('last_day'))
      : undefined;
    type R = {
      ProviderName: string | null; x_Model: string | null; cost: number; billed_cost: number; list_cost: number; input_tokens: number | null; output_tokens: number | null; records: number;
      ServiceName: string | null; ServiceCategory: string | null; ServiceSubcategory: string | null; first_day: string; last_day: string;
    };
    const rows = ((grouped?.toRecords() ?? []) as unknown as R[]).sort((a, b) => b.cost - a.cost);
    releaseFrames(df, cur, grouped);
    const d = decimalsOf(scope.currency);
    const rangeDays = daysBetween(scope.start, scope.end) + 1;
    const at = (day: string) => localIso(day, startOfLocalDay(day, scope.timeZone).getTime(), scope.timeZone);
    let inTok = 0;
    let outTok = 0;
    const data = rankedShares(rows, scope.currency, grand).map(({ row: r, total_cost, record_count, percentage }) => {
      const input = r.input_tokens ?? 0;
      const output = r.output_tokens ?? 0;
      inTok += input;
      outTok += output;
      return {
        provider: r.ProviderName ?? 'Unknown', model: r.x_Model ?? 'unknown',
        total_cost: total_cost, total_billed_cost: roundMoney(r.billed_cost, d),
        input_tokens: input, output_tokens: output, total_tokens: input + output,
        cost_per_1k_tokens: per1k(r.cost, input + output), record_count, percentage,
        ServiceProviderName: r.ProviderName ?? 'Unknown', ProviderName: r.ProviderName ?? 'Unknown',
        ServiceName: r.ServiceName ?? r.ProviderName ?? 'Unknown', ServiceCategory: r.ServiceCategory ?? 'AI and Machine Learning', ServiceSubcategory: r.ServiceSubcategory,
        ChargePeriodStart: at(r.first_day), ChargePeriodEnd: at(addDays(r.last_day, 1)),
        BilledCost: roundMoney(r.billed_cost, d), EffectiveCost: total_cost, ListCost: roundMoney(r.list_cost, d),
        Savings: roundMoney(r.billed_cost - r.cost, d), BillingCurrency: scope.currency,
        MonthlyRunRate: roundMoney((r.cost / rangeDays) * daysInMonth(scope.end), d), AnnualRunRate: roundMoney((r.cost / rangeDays) * daysInYear(scope.end), d),
      };
    });
    return envelope(scope, started, rates, data, {
      total_cost: roundMoney(grand, d), model_count: data.length, provider_count: new Set(data.map((x) => x.provider)).size,
      input_tokens: inTok, output_tokens: outTok, total_tokens: inTok + outTok, cost_per_1k_tokens: per1k(grand, inTok + outTok),
      // What the web app's CostSummary reads.
      total_billed_cost: roundMoney(rows.reduce((a, r) => a + r.billed_cost, 0), d),
      record_count: rows.reduce((a, r) => a + r.records, 0),
      providers: [...new Set(data.map((x) => x.provider))].sort(),
      service_categories: [...new Set(data.map((x) => x.ServiceCategory))].sort(),
      date_range: { start: scope.start, end: scope.end },
    });
  });
}
