import { currency } from '../i18n/index.js';
import { addDays, daysBetween } from '../i18n/dates.js';
import { Money } from './money.js';

/**
 * THE SaaS cost formula: the subscriptions function (plan run-rates, totals) and the costs
 * function (daily cost rows) both call these pure functions, so a plan costs the same wherever
 * it is shown. The original computed this three ways in three places; this is the one kept.
 *
 * 1. Price per billing cycle. `unit_price` is the price of one billing cycle (one week, month,
 *    quarter, half-year or year; per seat for PER_SEAT). An annual plan with a `yearly_price` uses that as
 *    its cycle price instead (the catalog's yearly prices are the annual contract prices).
 *    A monthly or quarterly plan's `yearly_price` is information only.
 * 2. Base = cycle price × seats for PER_SEAT (0 seats costs 0), the cycle price for FLAT_FEE.
 * 3. Discount, per cycle: percent → base × (1 − value/100); fixed → base − value. Never below 0.
 * 4. Run-rates from the exact cycle cost: monthly = cycle ÷ 1, 3, 6 or 12 (quarterly is a third per
 *    month); annual = cycle × 12, 4, 2 or 1. Weekly: 52 cycles a year, so annual = cycle × 52 and
 *    monthly = cycle × 52 ÷ 12. Each is rounded once, half away from zero, to the
 *    plan currency's minor unit (USD 2, JPY 0, KWD 3): annual is not 12 × a rounded monthly.
 * 5. Daily cost on a date = the cycle cost spread evenly over the days of the calendar period of
 *    that cycle containing the date (its ISO week Monday-Sunday, month, quarter Jan-Mar/Apr-Jun/...,
 *    half-year Jan-Jun/Jul-Dec or year: 7, 28-31, 90-92, 181-184, 365-366 days), 0 when the plan is disabled or the date is outside
 *    [start_date, end_date]. Calendar periods, not periods anchored on the start date, so that
 *    the days of a full period add up to the cycle cost and cost reports per calendar month need
 *    no renewal dates. Rounded half away from zero to 9 digits (BigQuery NUMERIC), so a period's
 *    days may add up to the cycle cost ± days × 0.5e-9.
 *
 * Worked examples (shared/test/saas-cost.test.ts holds each as a test):
 *
 * | # | model, cycle, currency | seats | unit | yearly | discount | cycle cost | monthly | annual | daily cost |
 * |---|---|---|---|---|---|---|---|---|---|
 * | 1 | PER_SEAT monthly USD | 10 | 25.00 | | | 250 | 250.00 | 3000.00 | 2026-03-15: 250 / 31 = 8.064516129 |
 * | 2 | PER_SEAT monthly USD | 15 | 25.00 | | | 375 | 375.00 | 4500.00 | 2026-04-01: 375 / 30 = 12.5 |
 * | 3 | PER_SEAT monthly USD | 0 | 25.00 | | | 0 | 0.00 | 0.00 | 0 |
 * | 4 | FLAT_FEE monthly USD | 0 | 20.00 | 240 | | 20 | 20.00 | 240.00 | 2026-02-10: 20 / 28 = 0.714285714 |
 * | 5 | FLAT_FEE quarterly USD | 1 | 100.00 | | | 100 | 33.33 | 400.00 | 2026-02-10: 100 / 90 (Q1) = 1.111111111 |
 * | 6 | PER_SEAT annual USD | 5 | 60 | 720 | | 3600 | 300.00 | 3600.00 | 2026-07-01: 3600 / 365 = 9.863013699 |
 * | 7 | FLAT_FEE annual USD | 1 | 119.99 | | | 119.99 | 10.00 | 119.99 | 2028-02-29: 119.99 / 366 = 0.32784153 |
 * | 8 | PER_SEAT monthly USD | 10 | 25.00 | | 20 percent | 200 | 200.00 | 2400.00 | |
 * | 9 | FLAT_FEE monthly USD | 1 | 50.00 | | 60 fixed | 0 (not −10) | 0.00 | 0.00 | |
 * | 10 | PER_SEAT quarterly USD | 3 | 10.01 | | 0.03 fixed | 30.00 | 10.00 | 120.00 | |
 * | 11 | FLAT_FEE quarterly JPY | 1 | 1000 | | | 1000 | 333 | 4000 | |
 * | 12 | FLAT_FEE monthly KWD | 1 | 10.0005 | | | 10.0005 | 10.001 | 120.006 | |
 * | 13 | as 1, disabled, or on a date outside its start/end | | | | | | | | 0 |
 * | 14 | FLAT_FEE semi-annual USD | 1 | 600.00 | | | 600 | 100.00 | 1200.00 | 2026-02-10: 600 / 181 (H1) = 3.314917127; 2026-09-01: 600 / 184 = 3.260869565 |
 * | 15 | PER_SEAT weekly USD | 3 | 10.00 | | | 30 | 130.00 (30 × 52 / 12) | 1560.00 | 2026-03-11: 30 / 7 = 4.285714286 (week 03-09..03-15) |
 * | 16 | FLAT_FEE weekly JPY | 1 | 1000 | | | 1000 | 4333 | 52000 | |
 *
 * Examples 14-16 are in shared/test/saas-cost-cycles.test.ts. A weekly plan's days add up to its
 * cycle cost per week; its days in a calendar month (28-31 × cycle / 7) are not its monthly
 * run-rate (cycle × 52 / 12), as for any cycle that is not a whole number of months.
 * `billing_anchor_day` is stored and shown, never used here: periods are calendar periods.
 */

export const BILLING_CYCLES = ['monthly', 'quarterly', 'annual', 'semi-annual', 'weekly'] as const;
export type BillingCycle = (typeof BILLING_CYCLES)[number];
export const PRICING_MODELS = ['PER_SEAT', 'FLAT_FEE'] as const;
export type PricingModel = (typeof PRICING_MODELS)[number];
export const DISCOUNT_TYPES = ['percent', 'fixed'] as const;
export type DiscountType = (typeof DISCOUNT_TYPES)[number];

/** What a plan is paid: prices are exact decimal strings, as NUMERIC comes back from the warehouse. */
export interface PlanPrice {
  pricing_model: PricingModel;
  billing_cycle: BillingCycle;
  currency: string;
  seats: number;
  unit_price: string;
  yearly_price?: string | null;
  discount_type?: DiscountType | null;
  discount_value?: string | null;
}

/** When it is paid. Dates are civil dates in the org's timezone; end_date is the last day covered. */
export interface PlanPeriod {
  start_date: string;
  end_date: string | null;
  is_enabled: boolean;
}

/** Months per cycle; weekly is not a whole number of months (see CYCLES_PER_YEAR). */
const MONTHS: Record<Exclude<BillingCycle, 'weekly'>, number> = { monthly: 1, quarterly: 3, 'semi-annual': 6, annual: 12 };
const CYCLES_PER_YEAR: Record<BillingCycle, number> = { weekly: 52, monthly: 12, quarterly: 4, 'semi-annual': 2, annual: 1 };

/** Digits of the currency's minor unit (2 when the currency is not one we list). */
export function currencyScale(code: string): number {
  return currency(code)?.decimals ?? 2;
}

/** Steps 1-3: the exact cost of one billing cycle, after discount. */
export function cycleCost(p: PlanPrice): Money {
  const price = Money.of(p.billing_cycle === 'annual' && p.yearly_price != null ? p.yearly_price : p.unit_price);
  const base = p.pricing_model === 'PER_SEAT' ? price.mul(p.seats) : price;
  if (!p.discount_type || p.discount_value == null) return base;
  const value = Money.of(p.discount_value);
  const discounted = p.discount_type === 'percent'
    ? base.mul(Money.of(100).sub(value)).div(100)
    : base.sub(value);
  return discounted.max(Money.ZERO);
}

/** Step 4: monthly and annual run-rates, in the plan currency's minor unit. */
export function runRates(p: PlanPrice): { monthly: string; annual: string } {
  const annual = cycleCost(p).mul(CYCLES_PER_YEAR[p.billing_cycle]);
  const scale = currencyScale(p.currency);
  return { monthly: annual.div(12).toFixed(scale), annual: annual.toFixed(scale) };
}

/** The calendar period of `cycle` that contains `date`: first and last day, and its length. */
export function billingPeriod(cycle: BillingCycle, date: string): { start: string; end: string; days: number } {
  if (cycle === 'weekly') {
    // ISO weeks: Monday to Sunday.
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    const start = addDays(date, -weekday);
    return { start, end: addDays(start, 6), days: 7 };
  }
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const months = MONTHS[cycle];
  const firstMonth = m - ((m - 1) % months);
  const start = `${y}-${String(firstMonth).padStart(2, '0')}-01`;
  const next = new Date(Date.UTC(y, firstMonth - 1 + months, 1)).toISOString().slice(0, 10);
  return { start, end: addDays(next, -1), days: daysBetween(start, next) };
}

/** Whether the plan is paid for on `date` (enabled, and the date within its start and end). */
export function isPaidOn(p: PlanPeriod, date: string): boolean {
  return p.is_enabled && p.start_date <= date && (p.end_date === null || date <= p.end_date);
}

/** Step 5: the plan's cost on one day, as a NUMERIC-sized decimal string ('8.064516129'). */
export function dailyCost(p: PlanPrice & PlanPeriod, date: string): string {
  if (!isPaidOn(p, date)) return '0';
  const { days } = billingPeriod(p.billing_cycle, date);
  return trimZeros(cycleCost(p).div(days).toFixed(9));
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
