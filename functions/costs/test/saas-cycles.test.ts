import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { routes as subscriptionRoutes } from '../../subscriptions/src/routes.js';
import { costsApp } from './support.js';

/**
 * The semi-annual and weekly cycles (the web app's forms offer them): /saas-subscriptions agrees
 * with the subscriptions function on their run-rates, and the ledger's days of a full week add
 * up to a weekly plan's cycle cost (shared/src/saas/cost.ts, examples 14-16).
 */
type Plan = { subscription_id: string; billing_cycle: string; monthly_cost: string; annual_cost: string };
type Saas = { data: { SubscriptionId: string; EffectiveCost: number; MonthlyRunRate: number; AnnualRunRate: number; BillingCycle: string | null }[] };

let t: Awaited<ReturnType<typeof costsApp>>;
let plans: Plan[];

beforeAll(async () => {
  t = await costsApp({ slug: 'cycles_in', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' });
  const subs = buildFunctionApp('subscriptions', subscriptionRoutes, t.deps);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await subs.fetch(new Request(`http://fn/api/v1/subscriptions/cycles_in${path}`, { method, headers: { 'x-api-key': t.key, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) }));
    expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json() as Promise<Record<string, unknown>>;
  };
  // First plans of providers never enabled: each enables its provider.
  await call('POST', '/providers/slack/plans', { plan_name: 'HUDDLES', pricing_model: 'PER_SEAT', unit_price: 120, seats: 3, currency: 'INR', billing_cycle: 'weekly', start_date: '2026-01-01' });
  await call('POST', '/providers/figma/plans', { plan_name: 'ORG', pricing_model: 'FLAT_FEE', unit_price: 60000, seats: 1, currency: 'INR', billing_cycle: 'semi-annual', start_date: '2026-01-01' });
  plans = (await call('GET', '/all-plans')).plans as Plan[];
  await seedCosts(t.deps, { orgSlug: 'cycles_in', days: 79, rowsPerDay: 50, seed: 5, end: '2026-03-20' });
});

describe('semi-annual and weekly plans in /costs/{org}/saas-subscriptions', () => {
  it('run-rates equal the subscriptions function\'s', async () => {
    const { status, body } = await t.get<Saas>('/saas-subscriptions');
    expect(status, JSON.stringify(body).slice(0, 600)).toBe(200);
    for (const p of plans) {
      const row = body.data.find((r) => r.SubscriptionId === p.subscription_id)!;
      expect(row).toMatchObject({ MonthlyRunRate: Number(p.monthly_cost), AnnualRunRate: Number(p.annual_cost), BillingCycle: p.billing_cycle });
    }
  });

  it('a full ISO week of a weekly plan costs its cycle (3 × 120 = 360)', async () => {
    const week = await t.get<Saas>('/saas-subscriptions?start_date=2026-03-09&end_date=2026-03-15');
    const weekly = plans.find((p) => p.billing_cycle === 'weekly')!;
    expect(week.body.data.find((r) => r.SubscriptionId === weekly.subscription_id)!.EffectiveCost).toBe(360);
  });
});
