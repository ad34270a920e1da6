import { describe, expect, it } from 'vitest';
import { COST_TABLE } from '../../../shared/src/costs/ledger/store.js';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { costsApp } from './support.js';

/**
 * A billing currency without any rate (BRL is neither an ECB nor a pegged currency) must not
 * break the views: its rows are left out of the totals and listed as missing with their amount
 * in the billing currency; once an operator posts a BRL rate they count.
 */
type Missing = { currency: string; to: string; amount: number; billed_amount: number; record_count: number; first_day: string; last_day: string };
type Body = {
  summary: { total_cost: number; record_count: number };
  exchange_rates: { rates: { from: string; to: string; min_rate: number }[]; missing: Missing[] };
};

const RANGE = 'start_date=2026-03-15&end_date=2026-03-20';
const VIEWS = ['/summary', '/by-provider', '/by-service', '/cloud', '/trend', '/llm', '/total', '/pivot?rows=ProviderName&columns=day', '/saas-subscriptions'];

describe('a billing currency without a rate', () => {
  it('is listed as missing with its amount (never a 500); a posted rate includes it', async () => {
    const t = await costsApp({ slug: 'brl_co', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' }, { days: 6, rowsPerDay: 100, seed: 9, end: '2026-03-20' });
    const before = await t.get<Body>(`/summary?${RANGE}`);
    expect(before.status).toBe(200);
    expect(before.body.exchange_rates.missing).toEqual([]);

    const wh = t.deps.warehouse;
    await wh.execute({
      sql: `INSERT INTO ${wh.table('brl_co_prod', COST_TABLE)} (BilledCost, EffectiveCost, ListCost, BillingCurrency, ProviderName, ServiceName, ServiceCategory, x_CostCategory, ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId)
            VALUES (@billed, @eff, @eff, 'BRL', 'Google Cloud', 'Compute Engine', 'Compute', 'cloud', @start, @end, 'brl-test-1')`,
      params: { billed: '120.5', eff: '100.25', start: new Date('2026-03-18T06:00:00Z'), end: new Date('2026-03-18T07:00:00Z') },
      types: { billed: 'NUMERIC', eff: 'NUMERIC', start: 'TIMESTAMP', end: 'TIMESTAMP' },
    });
    // A second currency without a rate, with no minor unit (ISO 4217: CLP has 0 decimals).
    await wh.execute({
      sql: `INSERT INTO ${wh.table('brl_co_prod', COST_TABLE)} (BilledCost, EffectiveCost, BillingCurrency, ProviderName, ServiceName, x_CostCategory, ChargePeriodStart, x_SourceRecordId)
            VALUES (@eff, @eff, 'CLP', 'Google Cloud', 'Compute Engine', 'cloud', @start, 'clp-test-1')`,
      params: { eff: '15000.4', start: new Date('2026-03-19T06:00:00Z') },
      types: { eff: 'NUMERIC', start: 'TIMESTAMP' },
    });
    const CLP = { currency: 'CLP', to: 'INR', amount: 15000, billed_amount: 15000, record_count: 1, first_day: '2026-03-19', last_day: '2026-03-19' };
    const invalidate = () => t.app.fetch(new Request('http://fn/api/v1/costs/brl_co/cache/invalidate', { method: 'POST', headers: { 'x-api-key': t.key } }));
    await invalidate();

    for (const v of VIEWS) {
      const res = await t.get<Body>(`${v}${v.includes('?') ? '&' : '?'}${RANGE}`);
      expect(res.status, `${v}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      if (v !== '/saas-subscriptions' && v !== '/llm') expect(res.body.exchange_rates.missing, v).toEqual([{ currency: 'BRL', to: 'INR', amount: 100.25, billed_amount: 120.5, record_count: 1, first_day: '2026-03-18', last_day: '2026-03-18' }, CLP]);
    }
    const without = await t.get<Body>(`/summary?${RANGE}`);
    expect(without.body.summary.total_cost).toBe(before.body.summary.total_cost);
    expect(without.body.summary.record_count).toBe(before.body.summary.record_count);

    const post = (body: unknown) => t.app.fetch(new Request('http://fn/api/v1/admin/exchange-rates', { method: 'POST', headers: { 'x-ca-root-key': TEST_ROOT_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    for (const bad of ['brl', 'BRLX', 'B1L', 'EUR']) expect((await post({ rates: [{ date: '2026-03-01', currency: bad, units_per_eur: '6.2' }] })).status, bad).toBe(422);
    const ok = await post({ rates: [{ date: '2026-03-01', currency: 'BRL', units_per_eur: '6.2' }] });
    expect(ok.status, await ok.clone().text()).toBe(200);
    await invalidate();

    const after = await t.get<Body>(`/summary?${RANGE}`);
    expect(after.status).toBe(200);
    expect(after.body.exchange_rates.missing).toEqual([CLP]);
    const brl = after.body.exchange_rates.rates.find((r) => r.from === 'BRL')!;
    expect(brl).toMatchObject({ to: 'INR' });
    expect(after.body.summary.record_count).toBe(before.body.summary.record_count + 1);
    expect(Math.abs(after.body.summary.total_cost - (before.body.summary.total_cost + 100.25 * brl.min_rate))).toBeLessThanOrEqual(0.011);
  });
});
