import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { routes as subscriptionRoutes } from '../../subscriptions/src/routes.js';
import { costsApp } from './support.js';

/**
 * /saas-subscriptions agrees with the subscriptions function: plans are made through the
 * subscriptions function's own routes, the ledger is seeded from them (one row per plan per
 * local day, the shared formula, as the pipelines' daily job writes it), and the costs function's
 * run-rates and day sums must equal what the subscriptions function shows for the same plans.
 */
type Plan = { subscription_id: string; billing_cycle: string; currency: string; monthly_cost: string; annual_cost: string };
type Saas = {
  data: { SubscriptionId: string; Provider: string; EffectiveCost: number; DailyCost: number; MonthlyRunRate: number; AnnualRunRate: number; run_rate_source: string; BillingCycle: string | null; record_count: number }[];
  summary: Record<string, number | string | null>;
};

let t: Awaited<ReturnType<typeof costsApp>>;
let plans: Plan[];
let totals: { total_monthly_cost: string | null; total_annual_cost: string | null };

beforeAll(async () => {
  t = await costsApp({ slug: 'saas_in', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' });
  const subs = buildFunctionApp('subscriptions', subscriptionRoutes, t.deps);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await subs.fetch(new Request(`http://fn/api/v1/subscriptions/saas_in${path}`, { method, headers: { 'x-api-key': t.key, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json() as Promise<Record<string, unknown>>;
  };
  for (const p of ['slack', 'figma', 'notion']) await call('POST', `/providers/${p}/enable`, {});
  await call('POST', '/providers/slack/plans', { plan_name: 'PRO', pricing_model: 'PER_SEAT', unit_price: '725', seats: 13, currency: 'INR', billing_cycle: 'monthly', start_date: '2026-01-01' });
  await call('POST', '/providers/figma/plans', { plan_name: 'ORG', pricing_model: 'FLAT_FEE', unit_price: '10000', seats: 1, currency: 'INR', billing_cycle: 'quarterly', start_date: '2026-01-01' });
  await call('POST', '/providers/notion/plans', { plan_name: 'PLUS', pricing_model: 'PER_SEAT', unit_price: '999.99', seats: 7, currency: 'INR', billing_cycle: 'annual', start_date: '2026-01-01', discount_type: 'percent', discount_value: '15' });
  const all = await call('GET', '/all-plans');
  plans = all.plans as Plan[];
  totals = all.summary as typeof totals;
  await seedCosts(t.deps, { orgSlug: 'saas_in', days: 79, rowsPerDay: 50, seed: 3, end: '2026-03-20' });
});

describe('GET /costs/{org}/saas-subscriptions', () => {
  it('run-rates equal the subscriptions function\'s monthly_cost and annual_cost, plan by plan and in total', async () => {
    const { status, body } = await t.get<Saas>('/saas-subscriptions');
    expect(status).toBe(200);
    expect(plans).toHaveLength(3);
    for (const p of plans) {
      const row = body.data.find((r) => r.SubscriptionId === p.subscription_id)!;
      expect(row, p.subscription_id).toBeDefined();
      expect(row).toMatchObject({ MonthlyRunRate: Number(p.monthly_cost), AnnualRunRate: Number(p.annual_cost), run_rate_source: 'plan', BillingCycle: p.billing_cycle });
    }
    expect(body.summary.total_monthly_cost).toBe(Number(totals.total_monthly_cost));
    expect(body.summary.total_annual_cost).toBe(Number(totals.total_annual_cost));
    expect(body.data.map((r) => r.Provider).sort()).toEqual(['figma', 'notion', 'slack']);
  });

  it('the ledger days of a full billing period add up to the plan\'s cost for that period', async () => {
    // February for the monthly plan, Q1 (Jan-Mar, seeded from Jan 1 to Mar 20: compare Jan+Feb) for the quarterly one.
    const feb = await t.get<Saas>('/saas-subscriptions?start_date=2026-02-01&end_date=2026-02-28');
    const monthly = plans.find((p) => p.billing_cycle === 'monthly')!;
    expect(feb.body.data.find((r) => r.SubscriptionId === monthly.subscription_id)!.EffectiveCost).toBe(Number(monthly.monthly_cost));
    const quarterly = plans.find((p) => p.billing_cycle === 'quarterly')!;
    const janFeb = await t.get<Saas>('/saas-subscriptions?start_date=2026-01-01&end_date=2026-02-28');
    // 59 of Q1's 90 days of a 10000 cycle.
    expect(janFeb.body.data.find((r) => r.SubscriptionId === quarterly.subscription_id)!.EffectiveCost).toBe(Math.round((10000 * 59) / 90 * 100) / 100);
    const annual = plans.find((p) => p.billing_cycle === 'annual')!;
    expect(feb.body.data.find((r) => r.SubscriptionId === annual.subscription_id)!.DailyCost).toBe(Math.round((Number(annual.annual_cost) / 365) * 100) / 100);
  });

  it('summary: daily cost, month and year to date, forecasts by the documented method; /subscriptions is the same answer', async () => {
    const { body } = await t.get<Saas>('/saas-subscriptions');
    const s = body.summary as Record<string, number>;
    expect(body.summary.daily_cost_date).toBe('2026-03-20');
    const near = (a: number, b: number, minorUnits: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(minorUnits * 0.01 + 1e-9);
    // Each figure is rounded once from unrounded parts: compared with sums of rounded ones, within their rounding.
    near(s.total_daily_cost!, body.data.reduce((a, r) => a + r.DailyCost, 0), body.data.length);
    expect(s.mtd_cost).toBe(s.total_cost);
    near(s.forecast_monthly_cost!, s.mtd_cost! + s.total_daily_cost! * 11, 11);
    near(s.forecast_annual_cost!, s.ytd_cost! + s.total_daily_cost! * 286, 286);
    expect(s.ytd_cost).toBeGreaterThan(s.mtd_cost!);
    const alias = await t.get<Saas>('/subscriptions');
    expect(alias.body.data).toEqual(body.data);
  });
});
