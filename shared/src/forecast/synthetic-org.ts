import type { Ctx } from '../context/index.js';
import { COST_TABLE } from '../costs/ledger/store.js';
import { saasRows } from '../costs/seed/saas.js';
import { addDays, daysBetween } from '../i18n/dates.js';
import { createPlan } from '../saas/plans/create.js';
import { listPlans } from '../saas/plans/store.js';
import { ENTERPRISE_WEEKDAY } from './synthetic.js';
import { monthsBefore as monthStart } from './backtest.js';
import { usageLedgerRows, type UsageSeriesSpec } from './synthetic-ledger.js';

export interface EnterpriseOrgInput {
  orgSlug: string;
  /** The last local day with cost rows (the org's today). */
  end: string;
  days: number;
  seed: number;
  /** Rows per series per local day (the ledger's size; the daily costs do not depend on it). */
  rowsPerDay?: number;
  /** Daily usage scale (in the org's currency for cloud, USD for LLM). */
  scale?: number;
}

/**
 * The enterprise profile the forecast is judged on (tests and bench:forecast): cloud usage in
 * the org's currency with busy weekdays and quiet weekends, growing 4 % a month, with one-off
 * spikes (4-6x a day, on 1.5-2 % of days) and a level that drifts week to week; BigQuery in USD;
 * LLM usage in USD growing 10 % a month, noisier; SaaS plans (about a fifth of the bill) with
 * renewals at new seat counts and prices, an annual plan, plans that start and end mid-month, written day by day with
 * the SaaS formula as the daily SaaS job does. Deterministic by seed.
 */
export async function seedEnterpriseOrg(ctx: Ctx, input: EnterpriseOrgInput): Promise<{ first: string; specs: UsageSeriesSpec[] }> {
  const profile = await ctx.profiles.get(input.orgSlug);
  const currency = profile.default_currency;
  const tz = profile.default_timezone || 'UTC';
  const first = addDays(input.end, -(input.days - 1));
  if (first > monthStart(input.end, 3)) throw new Error('seedEnterpriseOrg: the plans change over the last 3 months: seed at least 4 months of days');
  const scale = input.scale ?? 50_000;
  const rows = input.rowsPerDay ?? 24;
  const specs: UsageSeriesSpec[] = [
    { category: 'cloud', provider: 'Google Cloud', service: 'Compute Engine', currency, seed: input.seed, rowsPerDay: rows,
      profile: { base: scale, weekday: ENTERPRISE_WEEKDAY, monthlyGrowth: 0.04, noise: 0.06, spikeChance: 0.015, spikeSize: 4, weeklyDrift: 0.02 } },
    { category: 'cloud', provider: 'Google Cloud', service: 'BigQuery', currency: 'USD', seed: input.seed + 1, rowsPerDay: rows,
      profile: { base: scale / 200, weekday: [1.3, 1.3, 1.25, 1.2, 1.0, 0.5, 0.45], monthlyGrowth: 0.02, noise: 0.1, spikeChance: 0.015, spikeSize: 6, weeklyDrift: 0.03 } },
    { category: 'llm', provider: 'OpenAI', service: 'gpt-4o', currency: 'USD', seed: input.seed + 2, rowsPerDay: rows,
      profile: { base: scale / 300, weekday: [1.2, 1.25, 1.25, 1.2, 1.1, 0.5, 0.5], monthlyGrowth: 0.1, noise: 0.12, spikeChance: 0.02, spikeSize: 4, weeklyDrift: 0.04 } },
  ];
  // About a fifth of the bill: seat changes at renewals, an annual contract, plans that start and end mid-month.
  const plan = (p: Omit<Parameters<typeof createPlan>[1], 'orgSlug' | 'currency'>) => createPlan(ctx, { orgSlug: input.orgSlug, currency, ...p });
  const renewal = addDays(input.end, 5);
  const mid = (months: number, day: number) => `${monthStart(input.end, months)}`.slice(0, 8) + String(day).padStart(2, '0');
  await plan({ provider: 'slack', plan_name: 'pro', unit_price: '700', pricing_model: 'PER_SEAT', seats: 300, start_date: first, end_date: addDays(mid(2, 15), -1) });
  await plan({ provider: 'slack', plan_name: 'business', unit_price: '900', pricing_model: 'PER_SEAT', seats: 400, start_date: mid(2, 15), end_date: addDays(renewal, -1) });
  // The renewal ahead: more seats at a new price from its date.
  await plan({ provider: 'slack', plan_name: 'enterprise', unit_price: '1100', pricing_model: 'PER_SEAT', seats: 450, start_date: renewal });
  await plan({ provider: 'figma', plan_name: 'organization', unit_price: '1800000', pricing_model: 'FLAT_FEE', seats: 1, billing_cycle: 'annual', start_date: first });
  await plan({ provider: 'notion', plan_name: 'plus', unit_price: '800', pricing_model: 'PER_SEAT', seats: 120, start_date: first, end_date: mid(1, 10) });
  await plan({ provider: 'github', plan_name: 'enterprise', unit_price: '1800', pricing_model: 'PER_SEAT', seats: 200, start_date: mid(3, 20) });
  await plan({ provider: 'zoom', plan_name: 'business', unit_price: '600', pricing_model: 'PER_SEAT', seats: 100, start_date: first, end_date: addDays(input.end, 2) });
  const plans = await listPlans(ctx.warehouse, profile.org_dataset_id);
  const days = Array.from({ length: daysBetween(first, input.end) + 1 }, (_, i) => addDays(first, i));
  const now = ctx.clock();
  const saas = saasRows(plans, days, tz, now);
  const usage = usageLedgerRows(specs, first, input.days, tz, now);
  for (const frame of [saas, usage.frame]) {
    if (frame) await ctx.warehouse.loadColumnar(profile.org_dataset_id, COST_TABLE, { format: 'parquet', data: frame.writeParquet({ compression: 'lz4' }) });
  }
  return { first, specs };
}
