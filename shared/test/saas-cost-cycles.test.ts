import { describe, expect, it } from 'vitest';
import { billingPeriod, cycleCost, dailyCost, runRates, type PlanPrice } from '../src/saas/cost.js';
import { addDays } from '../src/i18n/dates.js';
import { Money } from '../src/saas/money.js';

/**
 * Worked examples 14-16 of shared/src/saas/cost.ts: the semi-annual and weekly cycles the web
 * app's forms offer. Semi-annual: 6 months a cycle, calendar halves (Jan-Jun, Jul-Dec). Weekly:
 * 52 cycles a year, monthly = cycle × 52 / 12, calendar (ISO) weeks Monday to Sunday.
 */
const open = { start_date: '2026-01-01', end_date: null, is_enabled: true };
const semi: PlanPrice = { pricing_model: 'FLAT_FEE', billing_cycle: 'semi-annual', currency: 'USD', seats: 1, unit_price: '600.00' };
const weekly: PlanPrice = { pricing_model: 'PER_SEAT', billing_cycle: 'weekly', currency: 'USD', seats: 3, unit_price: '10.00' };
const weeklyJpy: PlanPrice = { pricing_model: 'FLAT_FEE', billing_cycle: 'weekly', currency: 'JPY', seats: 1, unit_price: '1000' };

describe('the SaaS cost formula: semi-annual and weekly', () => {
  it('example 14: FLAT_FEE semi-annual 600.00: 100.00 a month, 1200.00 a year, a day is 600 over the days of its half-year', () => {
    expect(cycleCost(semi).toFixed(2)).toBe('600.00');
    expect(runRates(semi)).toEqual({ monthly: '100.00', annual: '1200.00' });
    expect(dailyCost({ ...semi, ...open }, '2026-02-10')).toBe('3.314917127'); // 600 / 181 (Jan-Jun 2026)
    expect(dailyCost({ ...semi, ...open }, '2026-09-01')).toBe('3.260869565'); // 600 / 184 (Jul-Dec)
    expect(dailyCost({ ...semi, ...open, start_date: '2028-01-01' }, '2028-03-01')).toBe('3.296703297'); // 600 / 182 (leap H1)
    expect(billingPeriod('semi-annual', '2026-06-30')).toEqual({ start: '2026-01-01', end: '2026-06-30', days: 181 });
    expect(billingPeriod('semi-annual', '2026-07-01')).toEqual({ start: '2026-07-01', end: '2026-12-31', days: 184 });
  });

  it('example 15: PER_SEAT weekly 3 × 10.00: cycle 30, 130.00 a month (× 52 / 12), 1560.00 a year, 30 / 7 a day', () => {
    expect(runRates(weekly)).toEqual({ monthly: '130.00', annual: '1560.00' });
    expect(dailyCost({ ...weekly, ...open }, '2026-03-11')).toBe('4.285714286');
    expect(billingPeriod('weekly', '2026-03-11')).toEqual({ start: '2026-03-09', end: '2026-03-15', days: 7 }); // Wednesday: Monday to Sunday
    expect(billingPeriod('weekly', '2026-03-09')).toEqual({ start: '2026-03-09', end: '2026-03-15', days: 7 });
    expect(billingPeriod('weekly', '2026-03-15')).toEqual({ start: '2026-03-09', end: '2026-03-15', days: 7 });
    expect(billingPeriod('weekly', '2027-01-01')).toEqual({ start: '2026-12-28', end: '2027-01-03', days: 7 }); // across a year end
  });

  it('example 16: FLAT_FEE weekly JPY 1000: 4333 a month (JPY has no minor unit), 52000 a year', () => {
    expect(runRates(weeklyJpy)).toEqual({ monthly: '4333', annual: '52000' });
  });

  it('the days of a full period add up to the cycle cost (± days × 0.5e-9)', () => {
    for (const [plan, start, days] of [[semi, '2026-07-01', 184], [weekly, '2026-03-09', 7]] as const) {
      let sum = Money.ZERO;
      for (let i = 0; i < days; i++) sum = sum.add(Money.of(dailyCost({ ...plan, ...open }, addDays(start, i))));
      const diff = sum.sub(cycleCost(plan));
      expect(Number(diff.toFixed(9)) <= days * 0.5e-9 && Number(diff.toFixed(9)) >= -days * 0.5e-9).toBe(true);
    }
  });
});
