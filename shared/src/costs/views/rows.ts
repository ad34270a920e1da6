import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { NO_RATES } from '../analytics/frame.js';
import { costScope, resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { ValidationError } from '../../errors.js';
import { costSpec, countCosts, pageCosts } from '../ledger/store.js';
import { COST_LIMITS } from '../limits.js';

/** The page bounds (the route's schema refuses beyond them too): README, Costs. */
export const MAX_PAGE_LIMIT = COST_LIMITS.pageLimit;
export const MAX_PAGE_OFFSET = COST_LIMITS.pageOffset;
export const OFFSET_MESSAGE = `offset must be at most ${MAX_PAGE_OFFSET}: narrow the range (start_date/end_date) or the filters instead of paging deeper`;
export const LIMIT_MESSAGE = `limit must be 1..${MAX_PAGE_LIMIT}`;

const NUMERIC = new Set(costSpec().fields.filter((f) => f.type === 'NUMERIC').map((f) => f.name));

/**
 * GET /costs/{org}: one page of the ledger's rows, newest first, with the real total count (the
 * page and the count are two reads run side by side). Amounts stay in their BillingCurrency.
 * A page holds at most MAX_PAGE_LIMIT rows and starts at most MAX_PAGE_OFFSET deep.
 */
export async function listCostRows(ctx: Ctx, q: CostQuery & { limit: number; offset: number }) {
  const started = performance.now();
  if (!(q.limit >= 1 && q.limit <= COST_LIMITS.pageLimit)) throw new ValidationError(LIMIT_MESSAGE, { limit: [LIMIT_MESSAGE] });
  if (!(q.offset >= 0 && q.offset <= COST_LIMITS.pageOffset)) throw new ValidationError(OFFSET_MESSAGE, { offset: [OFFSET_MESSAGE] });
  const scope = await resolveScope(ctx, q);
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
  const s = costScope(scope, fromUtc, toUtc);
  const [rows, total] = await Promise.all([pageCosts(ctx.warehouse, s, q.limit, q.offset), countCosts(ctx.warehouse, s)]);
  const data = rows.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) out[k] = NUMERIC.has(k) && typeof v === 'string' ? Number(v) : v;
    return out;
  });
  return envelope(scope, started, NO_RATES, data, { record_count: total }, { total, limit: q.limit, offset: q.offset, has_more: q.offset + rows.length < total });
}
