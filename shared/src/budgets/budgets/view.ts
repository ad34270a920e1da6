import { jsonNumber } from '../../saas/money.js';
import type { Budget } from './fields.js';

/** A budget as every route shows it: amounts the web app does arithmetic on as JSON numbers, with the exact decimal beside. */
export function budgetView(b: Budget) {
  const { revision, ...rest } = b;
  return {
    ...rest,
    budget_amount: jsonNumber(b.budget_amount),
    budget_amount_exact: b.budget_amount,
    allocation_percent: jsonNumber(b.allocation_percent),
    revision,
  };
}
export type BudgetView = ReturnType<typeof budgetView>;
