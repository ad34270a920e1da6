import { ValidationError } from '../../errors.js';
import { addDays } from '../../i18n/dates.js';

export const CATEGORIES = ['cloud', 'genai', 'subscription', 'total'] as const;
export const BUDGET_TYPES = ['monetary', 'token', 'seat'] as const;
export const PERIOD_TYPES = ['monthly', 'quarterly', 'yearly', 'custom'] as const;
export type Category = (typeof CATEGORIES)[number];
export type BudgetType = (typeof BUDGET_TYPES)[number];
export type PeriodType = (typeof PERIOD_TYPES)[number];

export interface Threshold { percent: number; of: 'actual' | 'forecast' }

/** 50, 80 and 100 % of the actual and 100 % of the forecast (issue 19). */
export const DEFAULT_THRESHOLDS: readonly Threshold[] = [
  { percent: 50, of: 'actual' }, { percent: 80, of: 'actual' }, { percent: 100, of: 'actual' }, { percent: 100, of: 'forecast' },
];

export interface Budget {
  budget_id: string;
  org_slug: string;
  hierarchy_entity_id: string | null;
  hierarchy_entity_name: string | null;
  hierarchy_path: string | null;
  hierarchy_level_code: string | null;
  category: Category;
  budget_type: BudgetType;
  /** Exact decimal string (NUMERIC). */
  budget_amount: string;
  currency: string;
  period_type: PeriodType;
  period_start: string;
  period_end: string;
  recurring: boolean;
  fiscal_year_start_month: number;
  provider: string | null;
  thresholds: Threshold[];
  notes: string | null;
  is_active: boolean;
  revision: number;
  allocation_parent_id: string | null;
  allocation_percent: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  updated_by: string | null;
}

export function invalid(field: string, message: string): ValidationError {
  return new ValidationError(message, { [`body.${field}`]: [message] });
}

const pad = (n: number) => String(n).padStart(2, '0');
const lastDayOf = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Months in a period of the type (custom: none). */
export const MONTHS: Record<Exclude<PeriodType, 'custom'>, number> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * The calendar period of `type` containing the local date `day`: months are the org's calendar
 * months; quarters and years start at `fiscalStart` (1-12). Inclusive local dates.
 */
export function periodContaining(type: Exclude<PeriodType, 'custom'>, day: string, fiscalStart: number): { start: string; end: string } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const len = MONTHS[type];
  const anchor = type === 'monthly' ? 1 : fiscalStart;
  // Months since the anchor month of year 0, floored to the period length.
  const index = y * 12 + (m - 1) - (anchor - 1);
  const startIndex = index - (((index % len) + len) % len) + (anchor - 1);
  const sy = Math.floor(startIndex / 12);
  const sm = (startIndex % 12) + 1;
  const endIndex = startIndex + len - 1;
  const ey = Math.floor(endIndex / 12);
  const em = (endIndex % 12) + 1;
  return { start: `${sy}-${pad(sm)}-01`, end: `${ey}-${pad(em)}-${pad(lastDayOf(ey, em))}` };
}

/** The period a new budget covers: as sent, else the period of its type containing period_start (or today). */
export function resolvePeriod(a: { period_type: PeriodType; period_start?: string; period_end?: string; today: string; fiscalStart: number }): { start: string; end: string } {
  if (a.period_type === 'custom') {
    if (!a.period_start) throw invalid('period_start', 'A custom period needs period_start');
    if (!a.period_end) throw invalid('period_end', 'A custom period needs period_end');
  }
  const natural = a.period_type === 'custom' ? null : periodContaining(a.period_type, a.period_start ?? a.today, a.fiscalStart);
  const start = a.period_start ?? natural!.start;
  const end = a.period_end ?? (natural && natural.start === start ? natural.end : addDays(addMonths(start, MONTHS[a.period_type as 'monthly']), -1));
  if (end < start) throw invalid('period_end', `period_end ${end} is before period_start ${start}`);
  return { start, end };
}

/** The same day `n` months later (clamped to the month's end). */
export function addMonths(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  return `${ny}-${pad(nm)}-${pad(Math.min(d, lastDayOf(ny, nm)))}`;
}

/**
 * The period a budget is measured over on the local date `today`: its stored period, or for a
 * recurring budget of a calendar type whose stored period has passed, the period of that type
 * containing today (a recurring monthly budget renews at the org's local month start).
 */
export function currentPeriod(b: Pick<Budget, 'period_type' | 'period_start' | 'period_end' | 'recurring' | 'fiscal_year_start_month'>, today: string): { start: string; end: string } {
  if (!b.recurring || b.period_type === 'custom' || today <= b.period_end) return { start: b.period_start, end: b.period_end };
  return periodContaining(b.period_type, today, b.fiscal_year_start_month);
}
