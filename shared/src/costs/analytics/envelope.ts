import type { MissingRate, RatesReport, RateUse } from './frame.js';
import type { Scope } from './scope.js';

/** The original CloudAct response envelope every cost data route answers, plus what we add (FX, range). */
export interface CostEnvelope<D, S> {
  success: true;
  data: D;
  summary: S;
  /** total is null when not counted (a keyset page that did not ask); next_cursor only on the rows route. */
  pagination: { total: number | null; limit: number; offset: number; has_more: boolean; next_cursor?: string | null } | null;
  cache_hit: boolean;
  query_time_ms: number;
  error: null;
  currency: string;
  timezone: string;
  /** start/end repeat start_date/end_date: the later web app reads those names. */
  date_range: { start_date: string; end_date: string; start: string; end: string };
  /** `missing`: billing currencies without any rate, whose rows every total leaves out. */
  exchange_rates: { source: string; rates: RateUse[]; missing: MissingRate[] };
}

const SOURCE = 'ECB euro reference rates (last fixing on or before each local day), Gulf currencies by their USD pegs, operator rates where loaded';

export function envelope<D, S>(scope: Scope, started: number, rates: RatesReport, data: D, summary: S, pagination: CostEnvelope<D, S>['pagination'] = null): CostEnvelope<D, S> {
  return {
    success: true, data, summary, pagination, cache_hit: false,
    query_time_ms: Math.round(performance.now() - started),
    error: null, currency: scope.currency, timezone: scope.timeZone,
    date_range: { start_date: scope.start, end_date: scope.end, start: scope.start, end: scope.end },
    exchange_rates: { source: SOURCE, rates: rates.used, missing: rates.missing },
  };
}
