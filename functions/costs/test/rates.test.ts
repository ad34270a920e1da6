import { describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { costsApp } from './support.js';

type Rates = { exchange_rates: { rates: { from: string; to: string; carried_forward: boolean; newest_fixing: string; fixing_dates: { last: string } }[] }; summary: { total_cost: number } };

describe('exchange rates', () => {
  it('carries the newest fixing forward and says so; an operator rate upserted by root is used for its day', async () => {
    const t = await costsApp({ slug: 'late_co', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-04-20T12:00:00Z' });
    await seedCosts(t.deps, { orgSlug: 'late_co', days: 2, rowsPerDay: 60, seed: 3, end: '2026-04-20' });
    const before = await t.get<Rates>('/summary?start_date=2026-04-19&end_date=2026-04-20');
    const usd = before.body.exchange_rates.rates.find((r) => r.from === 'USD')!;
    expect(usd).toMatchObject({ to: 'INR', carried_forward: true, newest_fixing: '2026-04-13', fixing_dates: { last: '2026-04-13' } });

    const post = (body: unknown, key = TEST_ROOT_KEY) => t.app.fetch(new Request('http://fn/api/v1/admin/exchange-rates', { method: 'POST', headers: { 'x-ca-root-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    const res = await post({ rates: [{ date: '2026-04-17', currency: 'USD', units_per_eur: '1.1' }, { date: '2026-04-17', currency: 'INR', units_per_eur: '99.5' }] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ success: true, rows_received: 2, rows_changed: 2 });
    expect((await post({ rates: [{ date: '2026-04-17', currency: 'EUR', units_per_eur: '1' }] })).status).toBe(422);
    expect((await post({ rates: [{ date: '2026-04-17', currency: 'USD', units_per_eur: '-1' }] })).status).toBe(422);

    await t.app.fetch(new Request('http://fn/api/v1/costs/late_co/cache/invalidate', { method: 'POST', headers: { 'x-api-key': t.key } }));
    const after = await t.get<Rates>('/summary?start_date=2026-04-19&end_date=2026-04-20');
    const usd2 = after.body.exchange_rates.rates.find((r) => r.from === 'USD')!;
    expect(usd2).toMatchObject({ carried_forward: true, newest_fixing: '2026-04-17', fixing_dates: { last: '2026-04-17' } });
    expect(after.body.summary.total_cost).not.toBe(before.body.summary.total_cost);
  });
});
