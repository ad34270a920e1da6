import type { Ctx } from '../../context/index.js';
import { ValidationError } from '../../errors.js';
import { envelope } from '../analytics/envelope.js';
import { loadReduced } from '../analytics/load.js';
import { periodStart } from '../analytics/periods.js';
import { releaseFrames } from '../analytics/release.js';
import { apportion } from '../analytics/money.js';
import { resolveScope, type CostQuery } from '../analytics/scope.js';
import { cachedView } from '../cache/result-cache.js';
import type { Reducible } from '../ledger/store.js';
import { decimalsOf, period, roundMoney, sumBy } from './breakdowns.js';

export type PivotColumns = 'day' | 'week' | 'month' | Reducible;
const TIME = { day: 'daily', week: 'weekly', month: 'monthly' } as const;
/** Bounds on what one answer holds (rows × columns cells). */
const MAX_ROWS = 1000;
const MAX_COLUMNS = 400;

/**
 * GET /costs/{org}/pivot: `value` (EffectiveCost or BilledCost, in the reporting currency) by
 * `rows` (a ledger column) × `columns` (local day, ISO week, local month, or another column).
 * Rounding keeps every sum true after rounding: row totals add up to the grand total, and each
 * row's cells add up to its row total. Column totals are rounded to add up to the grand total
 * too (so a column's cells may differ from its total by the rounding of its rows).
 */
export async function getCostPivot(ctx: Ctx, q: CostQuery & { rows: Reducible; columns: PivotColumns; value: 'EffectiveCost' | 'BilledCost' }) {
  if (q.rows === q.columns) throw new ValidationError('rows and columns must differ', { columns: ['rows and columns must differ'] });
  const scope = await resolveScope(ctx, q);
  return cachedView(ctx, scope, 'pivot', [q.rows, q.columns, q.value], async () => {
    const started = performance.now();
    const isTime = q.columns === 'day' || q.columns === 'week' || q.columns === 'month';
    const dims: Reducible[] = isTime ? [q.rows] : [q.rows, q.columns as Reducible];
    const { df, rates } = await loadReduced(ctx, scope, scope.start, scope.end, dims);
    const { cur } = period(df, scope.start, scope.end);
    const col = q.value === 'EffectiveCost' ? 'cost' : 'billed_cost';
    const cells = sumBy(cur, isTime ? [q.rows, 'day'] : dims, [col]) as unknown as Record<string, string | number | null>[];
    releaseFrames(df, cur);
    const label = (v: string | null) => v ?? '(null)';
    const columnOf = (c: (typeof cells)[number]): string => {
      if (!isTime) return label(c[q.columns] as string | null);
      const start = periodStart(c.day as string, TIME[q.columns as 'day' | 'week' | 'month']);
      return q.columns === 'month' ? start.slice(0, 7) : start;
    };
    const table = new Map<string, Map<string, number>>();
    for (const c of cells) {
      const r = label(c[q.rows] as string | null);
      const row = table.get(r) ?? new Map<string, number>();
      const k = columnOf(c);
      row.set(k, (row.get(k) ?? 0) + (c[col] as number));
      table.set(r, row);
    }
    const columns = [...new Set(cells.map(columnOf))].sort();
    const rowTotals = [...table].map(([key, m]) => ({ key, m, total: [...m.values()].reduce((a, b) => a + b, 0) })).sort((a, b) => b.total - a.total || (a.key < b.key ? -1 : 1));
    if (rowTotals.length > MAX_ROWS || columns.length > MAX_COLUMNS) {
      throw new ValidationError(`The pivot has ${rowTotals.length} rows and ${columns.length} columns; at most ${MAX_ROWS} × ${MAX_COLUMNS}: narrow the range or the filters`, { rows: ['too many distinct values'] });
    }
    const d = decimalsOf(scope.currency);
    const grand = rowTotals.reduce((a, r) => a + r.total, 0);
    const roundedRows = apportion(rowTotals.map((r) => r.total), d, grand).parts;
    const data = rowTotals.map((r, i) => ({
      key: r.key,
      values: apportion(columns.map((c) => r.m.get(c) ?? 0), d, roundedRows[i]).parts,
      total: roundedRows[i]!,
    }));
    const colTotals = apportion(columns.map((c) => rowTotals.reduce((a, r) => a + (r.m.get(c) ?? 0), 0)), d, grand).parts;
    return envelope(scope, started, rates, data, {
      rows: q.rows, columns_by: q.columns, value: q.value, columns, column_totals: colTotals,
      total: roundMoney(grand, d), row_count: data.length, column_count: columns.length,
    });
  });
}
