import { describe, expect, it } from 'vitest';
import { dayWindow } from '../../../shared/src/costs/analytics/load.js';
import { readColumnar } from '../../../shared/src/costs/analytics/frame.js';
import { COST_TABLE, reduceCostsByLocalDay } from '../../../shared/src/costs/ledger/store.js';
import { utcInterval } from '../../../shared/src/costs/analytics/scope.js';
import { costsApp } from './support.js';

/**
 * A charge longer than 24 hours (a monthly fee, a commitment, an invoice) is spread over the
 * local days it covers in proportion to the seconds of it each one holds, in the warehouse, and
 * its parts add up to it exactly. The old reduction booked it wholly on its start's local day.
 */
type Trend = { data: { period: string; total_cost: number; record_count: number }[]; summary: { total_cost: number } };

async function insertFee(t: Awaited<ReturnType<typeof costsApp>>, dataset: string, id: string, amount: string, currency: string, start: string, end: string) {
  const wh = t.deps.warehouse;
  await wh.execute({
    sql: `INSERT INTO ${wh.table(dataset, COST_TABLE)} (BilledCost, EffectiveCost, ListCost, BillingCurrency, ProviderName, ServiceName, ServiceCategory, x_CostCategory, ChargePeriodStart, ChargePeriodEnd, x_SourceRecordId)
          VALUES (@amount, @amount, @amount, @currency, 'Google Cloud', 'Support', 'Other', 'cloud', @start, @end, @id)`,
    params: { amount, currency, start: new Date(start), end: new Date(end), id },
    types: { amount: 'NUMERIC', start: 'TIMESTAMP', end: 'TIMESTAMP' },
  });
}

describe('charges over several local days', () => {
  it('a 1 March monthly fee (UTC month) of an org in America/Los_Angeles lands in March, spread by the hour', async () => {
    const t = await costsApp({ slug: 'la_fee', currency: 'USD', timezone: 'America/Los_Angeles', now: '2026-04-05T18:00:00Z' });
    // 744 hours of March (UTC): 1.00 USD per hour.
    await insertFee(t, 'la_fee_prod', 'fee-2026-03', '744.00', 'USD', '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    const months = await t.get<Trend>('/trend?start_date=2026-02-01&end_date=2026-04-30&granularity=monthly');
    expect(months.status).toBe(200);
    // Its first 8 hours are 28 February in Los Angeles (16:00-24:00 PST); the last 7 are 1 April (00:00-00:00Z = 17:00 PDT).
    expect(months.body.data.map((x) => [x.period, x.total_cost])).toEqual([['2026-02', 8], ['2026-03', 736]]);
    const days = await t.get<Trend>('/trend?start_date=2026-02-28&end_date=2026-03-31');
    const byDay = Object.fromEntries(days.body.data.map((x) => [x.period, x.total_cost]));
    expect(byDay['2026-02-28']).toBe(8);
    expect(byDay['2026-03-01']).toBe(24);
    expect(byDay['2026-03-08']).toBe(23); // 23 hours long (PST → PDT)
    expect(byDay['2026-03-31']).toBe(17);
    expect(days.body.summary.total_cost).toBe(744);
    // The row is counted once, on the day it starts.
    expect(days.body.data.reduce((a, x) => a + x.record_count, 0)).toBe(1);
  });

  it('a row over 3 local days (Asia/Kathmandu, +05:45) splits exactly, in SQL, in proportion to its hours on each', async () => {
    const t = await costsApp({ slug: 'ktm_fee', currency: 'INR', timezone: 'Asia/Kathmandu', now: '2026-03-20T06:00:00Z' });
    // 12:00 local 10 March → 18:00 local 12 March: 12 h + 24 h + 18 h of 54 h.
    await insertFee(t, 'ktm_fee_prod', 'fee-3d', '100.00', 'INR', '2026-03-10T06:15:00Z', '2026-03-12T12:15:00Z');
    const win = dayWindow('Asia/Kathmandu', '2026-03-01', '2026-03-20');
    const { fromUtc, toUtc } = utcInterval('Asia/Kathmandu', '2026-03-01', '2026-03-20');
    const df = readColumnar(await reduceCostsByLocalDay(t.deps.warehouse, { datasetId: 'ktm_fee_prod', fromUtc, toUtc }, win, ['ProviderName'])).sort('local_day');
    const days = (df.getColumn('local_day').toArray() as (number | bigint)[]).map((d) => new Date(Number(d) * 86_400_000).toISOString().slice(0, 10));
    const parts = df.getColumn('effective').toArray() as number[];
    expect(days).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    // R(100 × 12/54), R(100 × 36/54) − R(100 × 12/54), 100 − R(100 × 36/54): NUMERIC, 9 decimals.
    expect(parts).toEqual([22.222222222, 44.444444445, 33.333333333]);
    expect(Math.round(parts.reduce((a, b) => a + b, 0) * 1e9)).toBe(100e9);
    const trend = await t.get<Trend>('/trend?start_date=2026-03-01&end_date=2026-03-20');
    expect(trend.body.data.map((x) => x.period)).toEqual(['2026-03-10', '2026-03-11', '2026-03-12']);
    expect(Math.round(trend.body.data.reduce((a, x) => a + x.total_cost, 0) * 100)).toBe(10000);
    expect(trend.body.summary.total_cost).toBe(100);
    // A range holding only its middle day gets that day's part.
    const mid = await t.get<Trend>('/trend?start_date=2026-03-11&end_date=2026-03-11');
    expect(mid.body.summary.total_cost).toBe(44.44);
  });
});
