import { describe, expect, it } from 'vitest';
import { billingPeriod, cycleCost, dailyCost, runRates, type PlanPeriod, type PlanPrice } from '../src/saas/cost.js';
import { addDays } from '../src/i18n/dates.js';
import { Money } from '../src/saas/money.js';

/** The worked examples of shared/src/saas/cost.ts, one row each (same numbers as the table there). */
const usd = (p: Partial<PlanPrice>): PlanPrice => ({ pricing_model: 'PER_SEAT', billing_cycle: 'monthly', currency: 'USD', seats: 10, unit_price: '25.00', ...p });
const open: PlanPeriod = { start_date: '2026-01-01', end_date: null, is_enabled: true };

const table: [number, PlanPrice, string, string, string, [string, string]?][] = [
  [1, usd({}), '250', '250.00', '3000.00', ['2026-03-15', '8.064516129']],
  [2, usd({ seats: 15 }), '375', '375.00', '4500.00', ['2026-04-01', '12.5']],
  [3, usd({ seats: 0 }), '0', '0.00', '0.00', ['2026-03-15', '0']],
  [4, usd({ pricing_model: 'FLAT_FEE', seats: 0, unit_price: '20.00', yearly_price: '240' }), '20', '20.00', '240.00', ['2026-02-10', '0.714285714']],
  [5, usd({ pricing_model: 'FLAT_FEE', billing_cycle: 'quarterly', seats: 1, unit_price: '100.00' }), '100', '33.33', '400.00', ['2026-02-10', '1.111111111']],
  [6, usd({ billing_cycle: 'annual', seats: 5, unit_price: '60', yearly_price: '720' }), '3600', '300.00', '3600.00', ['2026-07-01', '9.863013699']],
  [7, usd({ pricing_model: 'FLAT_FEE', billing_cycle: 'annual', seats: 1, unit_price: '119.99', yearly_price: null }), '119.99', '10.00', '119.99', ['2028-02-29', '0.32784153']],
  [8, usd({ discount_type: 'percent', discount_value: '20' }), '200', '200.00', '2400.00'],
  [9, usd({ pricing_model: 'FLAT_FEE', seats: 1, unit_price: '50.00', discount_type: 'fixed', discount_value: '60' }), '0', '0.00', '0.00'],
  [10, usd({ billing_cycle: 'quarterly', seats: 3, unit_price: '10.01', discount_type: 'fixed', discount_value: '0.03' }), '30', '10.00', '120.00'],
  [11, { pricing_model: 'FLAT_FEE', billing_cycle: 'quarterly', currency: 'JPY', seats: 1, unit_price: '1000' }, '1000', '333', '4000'],
  [12, { pricing_model: 'FLAT_FEE', billing_cycle: 'monthly', currency: 'KWD', seats: 1, unit_price: '10.0005' }, '10.0005', '10.001', '120.006'],
];

describe('the SaaS cost formula: worked examples', () => {
  it.each(table)('example %i', (_n, plan, cycle, monthly, annual, daily) => {
    expect(cycleCost(plan).toFixed(9).replace(/\.?0+$/, '')).toBe(cycle);
    expect(runRates(plan)).toEqual({ monthly, annual });
    if (daily) expect(dailyCost({ ...plan, ...open }, daily[0])).toBe(daily[1]);
  });

  it('example 13: nothing outside the plan\'s dates or while it is disabled', () => {
    const plan = { ...usd({}), start_date: '2026-03-11', end_date: '2026-03-31', is_enabled: true };
    expect(dailyCost(plan, '2026-03-10')).toBe('0');
    expect(dailyCost(plan, '2026-03-11')).toBe('8.064516129');
    expect(dailyCost(plan, '2026-03-31')).toBe('8.064516129');
    expect(dailyCost(plan, '2026-04-01')).toBe('0');
    expect(dailyCost({ ...plan, is_enabled: false }, '2026-03-15')).toBe('0');
  });
});

describe('properties the formula promises', () => {
  it('the days of a full calendar period add up to the cycle cost (within the 9-digit rounding)', () => {
    for (const [plan, first] of [[usd({}), '2026-02-01'], [usd({ billing_cycle: 'quarterly' }), '2026-04-01'], [usd({ billing_cycle: 'annual', yearly_price: '300' }), '2028-01-01']] as const) {
      const period = billingPeriod(plan.billing_cycle, first);
      let sum = Money.ZERO;
      for (let i = 0; i < period.days; i++) sum = sum.add(Money.of(dailyCost({ ...plan, ...open }, addDays(first, i))));
      const error = sum.sub(cycleCost(plan));
      expect(error.max(error.mul(-1)).cmp(Money.of('0.000000001').mul(period.days))).toBeLessThanOrEqual(0);
    }
  });

  it('calendar periods: months, quarters and years of every length', () => {
    expect(billingPeriod('monthly', '2028-02-10')).toEqual({ start: '2028-02-01', end: '2028-02-29', days: 29 });
    expect(billingPeriod('quarterly', '2026-11-30')).toEqual({ start: '2026-10-01', end: '2026-12-31', days: 92 });
    expect(billingPeriod('annual', '2026-12-31')).toEqual({ start: '2026-01-01', end: '2026-12-31', days: 365 });
  });

  it('is exact where binary floats are not (0.1 + 0.2, a third of 0.10)', () => {
    expect(Money.of('0.1').add(Money.of('0.2')).toFixed(2)).toBe('0.30');
    expect(runRates(usd({ pricing_model: 'FLAT_FEE', billing_cycle: 'quarterly', unit_price: '0.10' })).monthly).toBe('0.03');
    expect(runRates(usd({ pricing_model: 'FLAT_FEE', unit_price: '1.005' })).monthly).toBe('1.01');
  });
});
