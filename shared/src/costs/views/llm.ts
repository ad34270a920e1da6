import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { releaseFrames } from '../analytics/release.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import { decimalsOf, period, rankedShares, roundMoney } from './breakdowns.js';

/** Cost per 1,000 tokens, unrounded money at 6 decimals (a rate, not an amount). */
function per1k(cost: number, tokens: number): number | null {
  return tokens > 0 ? Math.round((cost / tokens) * 1000 * 1e6) / 1e6 : null;
}

/**
 * GET /costs/{org}/llm (also /genai): LLM usage (x_CostCategory llm) per provider and model:
 * cost, input and output tokens (x_InputTokens, x_OutputTokens), and cost per 1k tokens.
 */
export async function getLlmCosts(ctx: Ctx, q: CostQuery) {
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'llm', null, async () => {
    const started = performance.now();
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, ['ProviderName', 'x_Model'], ['llm']);
    const { cur, grand } = period(df, scope.start, scope.end);
    const grouped = cur.height
      ? cur.groupBy(['ProviderName', 'x_Model']).agg(
        pl.col('cost').sum().cast(pl.Float64).alias('cost'), pl.col('billed_cost').sum().cast(pl.Float64).alias('billed_cost'),
        pl.col('input_tokens').sum().cast(pl.Float64).alias('input_tokens'), pl.col('output_tokens').sum().cast(pl.Float64).alias('output_tokens'),
        pl.col('records').sum().cast(pl.Float64).alias('records'))
      : undefined;
    type R = { ProviderName: string | null; x_Model: string | null; cost: number; billed_cost: number; input_tokens: number | null; output_tokens: number | null; records: number };
    const rows = ((grouped?.toRecords() ?? []) as unknown as R[]).sort((a, b) => b.cost - a.cost);
    releaseFrames(df, cur, grouped);
    const d = decimalsOf(scope.currency);
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
      };
    });
    return envelope(scope, started, rates, data, {
      total_cost: roundMoney(grand, d), model_count: data.length, provider_count: new Set(data.map((x) => x.provider)).size,
      input_tokens: inTok, output_tokens: outTok, total_tokens: inTok + outTok, cost_per_1k_tokens: per1k(grand, inTok + outTok),
    });
  });
}
