import { describe, expect, it } from 'vitest';
import { projectPlans } from '../src/forecast/known.js';
import { dailyCost } from '../src/saas/cost.js';
import { NO_DETAILS, type PlanRow } from '../src/saas/plans/store.js';
import { addDays } from '../src/i18n/dates.js';
import { testDeps } from './support/deps.js';
import { bootstrap } from './support/orgs.js';

const row = (over: Partial<PlanRow>): PlanRow => ({
  org_slug: 'k_co', subscription_id: 's1', plan_id: 'p1', version: 1, superseded_by: null, revision: 0, provider: 'slack', plan_name: 'PRO', display_name: null,
  category: 'productivity', is_enabled: true, start_date: '2026-01-01', end_date: null, cancelled_at: null, billing_cycle: 'monthly', currency: 'INR', seats: 10,
  pricing_model: 'PER_SEAT', unit_price: '700', yearly_price: null, discount_type: null, discount_value: null, auto_renew: true, payment_method: null, invoice_id_last: null,
  owner_email: null, department: null, renewal_date: null, contract_id: null, notes: null, catalog_plan_id: null, created_by: null, created_at: '2026-01-01T00:00:00Z', updated_at: null,
  ...NO_DETAILS, ...over,
});

describe('known future costs (SaaS plans, the SaaS formula)', () => {
  it('each day costs the version in force that day; end dates, disabled and cancelled plans cost nothing ahead', async () => {
    const deps = await testDeps();
    await bootstrap(deps);
    const v1 = row({});
    const v2 = row({ version: 2, start_date: '2026-03-25', seats: 15, unit_price: '900' });
    const ending = row({ plan_id: 'p2', subscription_id: 's2', provider: 'notion', pricing_model: 'FLAT_FEE', seats: 1, unit_price: '3100', end_date: '2026-03-27' });
    const annual = row({ plan_id: 'p3', subscription_id: 's3', provider: 'figma', pricing_model: 'FLAT_FEE', seats: 1, billing_cycle: 'annual', unit_price: '365000' });
    const off = row({ plan_id: 'p4', is_enabled: false });
    const gone = row({ plan_id: 'p5', cancelled_at: '2026-03-01T00:00:00Z' });
    const { byDay, unconvertible } = await projectPlans(deps, [v1, v2, ending, annual, off, gone], '2026-03-22', '2026-03-31', 'INR', '2026-03-21');
    expect(unconvertible).toEqual([]);
    for (let d = '2026-03-22'; d <= '2026-03-31'; d = addDays(d, 1)) {
      const want = Number(dailyCost(d < '2026-03-25' ? v1 : v2, d)) + (d <= '2026-03-27' ? 100 : 0) + 1000;
      expect(byDay.get(d)).toBeCloseTo(want, 6);
    }
    // 7000 / 31 before the renewal, 13500 / 31 from it.
    expect(byDay.get('2026-03-24')! - 1100).toBeCloseTo(7000 / 31, 6);
    expect(byDay.get('2026-03-31')! - 1000).toBeCloseTo(13500 / 31, 6);
  });

  it('a plan in another currency converts at the rate in force on the as-of day (the views\' conversion), named', async () => {
    const deps = await testDeps();
    await bootstrap(deps);
    const usd = row({ currency: 'USD', unit_price: '10' });
    const { byDay, used } = await projectPlans(deps, [usd], '2026-03-22', '2026-03-23', 'INR', '2026-03-20');
    expect(used.map((u) => `${u.from}->${u.to}`)).toEqual(['USD->INR']);
    const rate = used[0]!.min_rate;
    expect(rate).toBeGreaterThan(50);
    expect(byDay.get('2026-03-22')).toBeCloseTo((100 / 31) * rate, 6);
  });
});
