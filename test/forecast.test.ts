import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { listPlans } from '../shared/src/saas/plans/store.js';
import { dailyCost } from '@cloudact/shared/saas/cost';
import { seedEnterpriseOrg } from '@cloudact/shared/forecast/synthetic-org';
import { addDays } from '../shared/src/i18n/dates.js';
import { COST_LIMITS } from '../shared/src/costs/limits.js';
import { routes as budgetRoutes } from '../functions/budgets/src/routes.js';
import { routes as costRoutes } from '../functions/costs/src/routes.js';
import { testDeps } from '../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../shared/test/support/orgs.js';

/**
 * The forecast over HTTP, through the budgets summary and /costs summary, for an org in
 * Asia/Kolkata with INR on the enterprise profile (weekday pattern, growth, spikes, SaaS plans
 * with a renewal, an annual plan and one that ends). 20:00 UTC on 20 March is 21 March there.
 */
const ORG = 'fc_in';
const TODAY = '2026-03-21';
let deps: Awaited<ReturnType<typeof testDeps>>;
let key: string;
let budgets: ReturnType<typeof buildFunctionApp>;
let costs: ReturnType<typeof buildFunctionApp>;

async function call<T = Record<string, any>>(app: ReturnType<typeof buildFunctionApp>, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const res = await app.fetch(new Request(`http://fn/api/v1/${path}`, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as T, text };
}

/** The plans' exact cost over local days `from`..`to` (the SaaS formula, the version in force each day). */
async function plansCost(from: string, to: string): Promise<number> {
  const plans = (await listPlans(deps.warehouse, `${ORG}_prod`)).filter((p) => p.is_enabled && !p.cancelled_at);
  let total = 0;
  for (let d = from; d <= to; d = addDays(d, 1)) for (const p of plans) total += Number(dailyCost(p, d));
  return total;
}

beforeAll(async () => {
  const time = settableClock(Date.parse('2026-03-20T20:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000', RATE_LIMIT_DISABLED: 'true' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: 'Asia/Kolkata' })).api_key;
  await seedEnterpriseOrg(testCtx(deps), { orgSlug: ORG, end: TODAY, days: 200, seed: 5, rowsPerDay: 6 });
  budgets = buildFunctionApp('budgets', budgetRoutes, deps);
  costs = buildFunctionApp('costs', costRoutes, deps);
}, 120_000);

describe('forecasts over HTTP', () => {
  it('a subscription budget: SaaS plans ahead are projected exactly (renewal, annual plan, end date), never guessed', async () => {
    const made = await call(budgets, 'POST', `budgets/${ORG}`, { category: 'subscription', period_type: 'monthly', budget_amount: '500000' });
    expect(made.status, made.text).toBe(201);
    const s = await call(budgets, 'GET', `budgets/${ORG}/summary?category=subscription`);
    expect(s.status, s.text).toBe(200);
    const i = s.body.items.find((x: { budget_id: string }) => x.budget_id === made.body.budget_id);
    const ahead = await plansCost(addDays(TODAY, 1), '2026-03-31');
    expect(i.forecast.known_future).toBeCloseTo(ahead, 2);
    expect(i.forecast.series).toEqual({ usage: 0, known: 5 });
    expect(i.forecast_amount).toBeCloseTo(i.actual_amount + ahead, 2);
    // Nothing to guess: the interval is the amount itself.
    expect(i.forecast.interval.upper - i.forecast.interval.lower).toBeLessThan(0.011);
    expect(i.forecast.backtest.months).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('a cloud budget: method, training window, as_of, interval, exhaustion date, backtest beside the run rate', async () => {
    const probe = await call(budgets, 'POST', `budgets/${ORG}`, { category: 'cloud', period_type: 'monthly', budget_amount: '100000000' });
    expect(probe.status, probe.text).toBe(201);
    const first = (await call(budgets, 'GET', `budgets/${ORG}/summary?category=cloud`)).body.items[0];
    expect(first).toMatchObject({ forecast_method: 'robust_seasonal_naive_damped_trend', exhaustion_date: null, forecast_over_budget: false });
    expect(first.forecast).toMatchObject({ as_of: TODAY, training_window: { start: '2025-12-27', end: '2026-03-20', days: 84 }, known_future: 0, series: { usage: 1, known: 0 } });
    expect(first.forecast.interval.lower).toBeLessThan(first.forecast_amount);
    expect(first.forecast.interval.upper).toBeGreaterThan(first.forecast_amount);
    expect(first.forecast_amount).toBeGreaterThan(first.actual_amount);
    // Per day ahead (today's rest, then to the month end), summing to what is ahead; the weekday pattern shows (28 March is a Saturday).
    const daily = first.forecast.daily as { day: string; median: number; lower: number; upper: number }[];
    expect(daily.map((d) => d.day)).toEqual(Array.from({ length: 11 }, (_, k) => addDays(TODAY, k)));
    expect(Math.abs(daily.reduce((a, d) => a + d.median, 0) - (first.forecast_amount - first.actual_amount))).toBeLessThan(0.2);
    for (const d of daily) expect(d.lower <= d.median && d.median <= d.upper).toBe(true);
    const on = (day: string) => daily.find((d) => d.day === day)!.median;
    expect(on('2026-03-28')).toBeLessThan(on('2026-03-26') * 0.7);
    const bt = first.forecast.backtest;
    expect(bt.points).toHaveLength(9);
    // Weekday pattern, growth and spikes: on this org's own history the model's month-end error is below the run rate's.
    expect(bt.mape_percent).toBeLessThan(bt.run_rate_mape_percent);

    // A budget between the actual and the forecast runs out after today, inside the month, at the median.
    const mid = Math.round((first.actual_amount + first.forecast_amount) / 2);
    await call(budgets, 'DELETE', `budgets/${ORG}/${probe.body.budget_id}`);
    const tight = await call(budgets, 'POST', `budgets/${ORG}`, { category: 'cloud', period_type: 'monthly', budget_amount: String(mid) });
    expect(tight.status, tight.text).toBe(201);
    const t = (await call(budgets, 'GET', `budgets/${ORG}/summary?category=cloud`)).body.items[0];
    expect(t.exhaustion_date > TODAY && t.exhaustion_date <= '2026-03-31').toBe(true);
    expect(t).toMatchObject({ forecast_over_budget: true, is_over_budget: false });
    expect(t.thresholds_crossed).toContainEqual({ percent: 100, of: 'forecast' });
  });

  it('/costs summary: forecast_month_end is the same forecast (known SaaS + usage), explained, beside mtd_cost', async () => {
    const r = await call<{ summary: Record<string, any> }>(costs, 'GET', `costs/${ORG}/summary`);
    expect(r.status, r.text).toBe(200);
    const s = r.body.summary;
    expect(s.forecast_method).toBe('robust_seasonal_naive_damped_trend');
    expect(s.forecast).toMatchObject({ as_of: TODAY, exhaustion_date: null, series: { usage: 2, known: 5 } });
    expect(s.forecast.actual_to_date).toBeCloseTo(s.mtd_cost, 2);
    expect(s.forecast.known_future).toBeCloseTo(await plansCost(addDays(TODAY, 1), '2026-03-31'), 2);
    expect(s.forecast_month_end).toBeCloseTo(s.mtd_cost + s.forecast.known_future + s.forecast.usage_future, 1);
    expect(s.forecast.interval.lower).toBeLessThan(s.forecast_month_end);
    expect(s.forecast.backtest.mape_percent).toBeLessThan(s.forecast.backtest.run_rate_mape_percent);
    // A provider filter narrows the forecast to it (no SaaS plan of Google Cloud is known).
    const g = await call<{ summary: Record<string, any> }>(costs, 'GET', `costs/${ORG}/summary?providers=gcp`);
    expect(g.status, g.text).toBe(200);
    expect(g.body.summary.forecast.series).toEqual({ usage: 1, known: 0 });
    expect(g.body.summary.forecast_month_end).toBeLessThan(s.forecast_month_end);
  });

  it('a history over the row bound is refused with 422 naming the filter to narrow, never read truncated', async () => {
    const bound = COST_LIMITS.granularRows;
    COST_LIMITS.granularRows = 10;
    try {
      const r = await call(costs, 'GET', `costs/${ORG}/summary?start_date=2026-03-02`);
      expect(r.status, r.text).toBe(422);
      expect(r.body.details.fields.providers[0]).toMatch(/forecast's history/);
    } finally {
      COST_LIMITS.granularRows = bound;
    }
  });
});
