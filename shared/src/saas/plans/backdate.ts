import { ValidationError } from '../../errors.js';
import { addDays } from '../../i18n/dates.js';
import type { PlanRow } from './store.js';

/**
 * Backdating: a change that re-prices days already reported (before the org's today) is allowed
 * (a wrong price corrected, an end recorded late) but only on request: the caller sends
 * "backdate": true (?backdate=true on DELETE), or gets 422 naming the field and the days. A
 * backdate is audited as SAAS_PLAN_BACKDATE with before, after and the days (`repriced`).
 */
export interface Repriced { from: string; to: string }

const FAR = '9999-12-31';
const min = (a: string, b: string): string => (a < b ? a : b);
const max = (a: string, b: string): string => (a > b ? a : b);

/** The past days (before `today`) from `from` on that any of `versions` covered: what a change from `from` re-prices. */
export function pastDaysFrom(versions: readonly Pick<PlanRow, 'start_date' | 'end_date'>[], from: string, today: string): Repriced | undefined {
  const yesterday = addDays(today, -1);
  const spans = versions
    .map((v) => ({ from: max(v.start_date, from), to: min(min(v.end_date ?? FAR, yesterday), FAR) }))
    .filter((r) => r.from <= r.to);
  if (!spans.length) return undefined;
  return { from: spans.map((r) => r.from).reduce(min), to: spans.map((r) => r.to).reduce(max) };
}

/** 422 for a change that would re-price `days` without the flag. */
export function backdateRefused(field: string, what: string, days: Repriced): ValidationError {
  const flag = field.startsWith('query.') ? '?backdate=true' : '"backdate": true';
  const message = `${what}: the days from ${days.from} to ${days.to} are already reported; send ${flag} to re-price them (the change is audited with before and after)`;
  return new ValidationError(message, { [field]: [message] });
}
