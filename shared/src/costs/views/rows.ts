import type { Ctx } from '../../context/index.js';
import { envelope } from '../analytics/envelope.js';
import { NO_RATES } from '../analytics/frame.js';
import { costScope, resolveScope, utcInterval, type CostQuery } from '../analytics/scope.js';
import { ValidationError } from '../../errors.js';
import { createHash } from 'node:crypto';
import { costSpec, countCosts, pageCosts, type RowKey } from '../ledger/store.js';
import { chooseColumns } from './columns.js';
import { COST_LIMITS } from '../limits.js';

/** The page bounds (the route's schema refuses beyond them too): README, Costs. */
export const MAX_PAGE_LIMIT = COST_LIMITS.pageLimit;
export const MAX_PAGE_OFFSET = COST_LIMITS.pageOffset;
export const OFFSET_MESSAGE = `offset must be at most ${MAX_PAGE_OFFSET}: narrow the range (start_date/end_date) or the filters instead of paging deeper`;
export const LIMIT_MESSAGE = `limit must be 1..${MAX_PAGE_LIMIT}`;

const NUMERIC = new Set(costSpec().fields.filter((f) => f.type === 'NUMERIC').map((f) => f.name));

/**
 * The columns a page holds unless `columns` says otherwise: those the web app's cost tables show
 * (identity, period, who and what, money, LLM tokens, hierarchy). `columns=*` gives all 72.
 */
export const DEFAULT_ROW_COLUMNS = [
  'x_SourceRecordId', 'ChargePeriodStart', 'ChargePeriodEnd', 'BillingAccountId', 'SubAccountId', 'SubAccountName',
  'ProviderName', 'PublisherName', 'ServiceName', 'ServiceCategory', 'ServiceSubcategory', 'x_CostCategory',
  'SkuId', 'ResourceId', 'ResourceName', 'ResourceType', 'RegionId', 'ChargeCategory', 'ChargeDescription',
  'PricingQuantity', 'PricingUnit', 'ConsumedQuantity', 'ConsumedUnit',
  'BilledCost', 'EffectiveCost', 'ListCost', 'BillingCurrency',
  'x_Model', 'x_InputTokens', 'x_OutputTokens', 'x_SubscriptionId',
  'x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames',
] as const;

export const CURSOR_MESSAGE = 'cursor is not one this route gave for these filters (it is opaque: send next_cursor back unchanged, with the same start_date, end_date and filters)';

/** The row query a cursor belongs to: filters and range, not the page's size or columns. */
function fingerprint(q: CostQuery): string {
  const { orgSlug, start_date, end_date, providers, service_categories, hierarchy_entity_id, hierarchy_path, department_id, project_id, team_id } = q;
  const key = JSON.stringify([orgSlug, start_date, end_date, providers, service_categories, hierarchy_entity_id, hierarchy_path, department_id, project_id, team_id]);
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

interface Cursor extends RowKey { q: string; start: string; end: string }

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([1, c.us, c.id, c.q, c.start, c.end])).toString('base64url');
}

function decodeCursor(text: string, q: CostQuery): Cursor {
  try {
    const [v, us, id, fp, start, end] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (v === 1 && typeof us === 'string' && /^-?\d{1,17}$/.test(us) && typeof id === 'string' && fp === fingerprint(q) && typeof start === 'string' && typeof end === 'string') return { us, id, q: fp, start, end };
  } catch { /* refused below */ }
  throw new ValidationError(CURSOR_MESSAGE, { cursor: [CURSOR_MESSAGE] });
}

export interface RowsQuery extends CostQuery { limit: number; offset: number; cursor?: string; columns?: string[]; include_total?: boolean }

/**
 * GET /costs/{org}: one page of the ledger's rows, newest first. Two ways to page:
 * - keyset (`cursor`): each answer's `pagination.next_cursor` continues after its last row; a deep
 *   page costs what the first does (its scan ends at the cursor). The total is counted only when
 *   asked (`include_total=true`): the count is a second scan of the whole range.
 * - offset (`offset` ≤ MAX_PAGE_OFFSET, the web app's): the total is counted, as the web app
 *   shows it, unless `include_total=false`.
 * Amounts stay in their BillingCurrency. A page holds at most MAX_PAGE_LIMIT rows.
 */
export async function listCostRows(ctx: Ctx, q: RowsQuery) {
  const started = performance.now();
  if (!(q.limit >= 1 && q.limit <= COST_LIMITS.pageLimit)) throw new ValidationError(LIMIT_MESSAGE, { limit: [LIMIT_MESSAGE] });
  if (!(q.offset >= 0 && q.offset <= COST_LIMITS.pageOffset)) throw new ValidationError(OFFSET_MESSAGE, { offset: [OFFSET_MESSAGE] });
  if (q.cursor !== undefined && q.offset > 0) {
    const message = 'Send either cursor or offset, not both';
    throw new ValidationError(message, { offset: [message] });
  }
  const columns = chooseColumns(q.columns, DEFAULT_ROW_COLUMNS);
  const after = q.cursor !== undefined ? decodeCursor(q.cursor, q) : undefined;
  // A cursor keeps the range it was made over (a default end_date of "today" may have moved).
  const scope = await resolveScope(ctx, after ? { ...q, start_date: after.start, end_date: after.end } : q);
  const { fromUtc, toUtc } = utcInterval(scope.timeZone, scope.start, scope.end);
  const s = costScope(scope, fromUtc, toUtc);
  const counted = q.include_total ?? q.cursor === undefined;
  // One row more than the page tells whether there is a next one, without a count.
  const [rows, total] = await Promise.all([
    pageCosts(ctx.warehouse, s, { columns, limit: q.limit + 1, offset: after ? 0 : q.offset, ...(after ? { after } : {}) }),
    counted ? countCosts(ctx.warehouse, s) : Promise.resolve(null),
  ]);
  const page = rows.slice(0, q.limit);
  const hasMore = rows.length > q.limit;
  const last = page[page.length - 1];
  const nextCursor = hasMore && last ? encodeCursor({ us: String(last.x_cursor_us), id: String(last.x_cursor_id), q: fingerprint(q), start: scope.start, end: scope.end }) : null;
  const data = page.map((r) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (k === 'x_cursor_us' || k === 'x_cursor_id') continue;
      out[k] = NUMERIC.has(k) && typeof v === 'string' ? Number(v) : v;
    }
    return out;
  });
  return envelope(scope, started, NO_RATES, data, { record_count: total ?? page.length }, { total, limit: q.limit, offset: after ? 0 : q.offset, has_more: hasMore, next_cursor: nextCursor });
}
