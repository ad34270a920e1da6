import { describe, expect, it } from 'vitest';
import { saasCatalog } from '../src/saas/catalog.js';
import { runRates } from '../src/saas/cost.js';
import { localDate } from '../src/i18n/dates.js';
import { planStatus } from '../src/saas/status.js';

describe('a plan\'s status, for the org\'s own date', () => {
  const plan = { start_date: '2026-03-11', end_date: '2026-03-31', cancelled_at: null };
  it.each([
    ['2026-03-10', 'pending'],
    ['2026-03-11', 'active'],
    ['2026-03-31', 'active'],
    ['2026-04-01', 'expired'],
  ])('on %s: %s', (today, status) => expect(planStatus(plan, today)).toBe(status));

  it('cancelled (ended by request) wins over every date', () => {
    for (const today of ['2026-03-01', '2026-03-20', '2026-05-01']) expect(planStatus({ ...plan, cancelled_at: '2026-03-15T10:00:00.000Z' }, today)).toBe('cancelled');
  });

  it('the org\'s today: Kolkata is a day ahead of UTC from 18:30 UTC, Los Angeles behind', () => {
    const at = new Date('2026-03-10T20:00:00Z');
    expect(localDate(at, 'UTC')).toBe('2026-03-10');
    expect(localDate(at, 'Asia/Kolkata')).toBe('2026-03-11');
    expect(localDate(new Date('2026-03-10T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-03-10');
    expect(localDate(new Date('2026-03-11T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-03-10');
    // A plan starting on the 11th: active in Kolkata while still pending by UTC's date.
    expect(planStatus({ start_date: '2026-03-11', end_date: null, cancelled_at: null }, localDate(at, 'Asia/Kolkata'))).toBe('active');
    expect(planStatus({ start_date: '2026-03-11', end_date: null, cancelled_at: null }, localDate(at, 'UTC'))).toBe('pending');
  });

  it('every catalog plan has run-rates under the one formula', () => {
    for (const p of saasCatalog().providers.flatMap((x) => x.plans)) {
      const r = runRates({ ...p, seats: p.pricing_model === 'PER_SEAT' ? 1 : p.seats });
      expect(r.monthly, p.catalog_plan_id).toMatch(/^\d+\.\d{2}$/);
    }
    const team = saasCatalog().find('chatgpt_plus')!.plans.find((p) => p.plan_name === 'ENTERPRISE')!;
    expect(runRates({ ...team, seats: 1 })).toEqual({ monthly: '60.00', annual: '720.00' });
  });
});
