import pl from 'nodejs-polars';
import { daysBetweenFilter, sumBy, total } from '../analytics/load.js';
import { apportion, decimalsOf, roundMoney } from '../analytics/money.js';

/** Rounds a list of rows' `cost` so they add up to the rounded total; adds percentages. */
export function rankedShares<R extends { cost: number; records: number }>(rows: R[], currency: string, grand: number) {
  const d = decimalsOf(currency);
  const parts = apportion(rows.map((r) => r.cost), d, grand).parts;
  return rows.map((r, i) => ({ row: r, total_cost: parts[i]!, record_count: r.records, percentage: grand === 0 ? 0 : Math.round((r.cost / grand) * 10_000) / 100 }));
}

/** The period's frame and its grand total (reporting currency). */
export function period(df: pl.DataFrame, start: string, end: string) {
  const cur = daysBetweenFilter(df, start, end);
  return { cur, grand: total(cur) };
}

export { sumBy, roundMoney, decimalsOf };
