import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { loadReduced, total } from '../../costs/analytics/load.js';
import { decimalsOf, roundMoney } from '../../costs/analytics/money.js';
import { resolveScope, WEB_CATEGORIES } from '../../costs/analytics/scope.js';
import { convert, type RateUse, type MissingRate } from '../../costs/analytics/frame.js';
import { rateTable } from '../../costs/rates/rates.js';
import { findProvider } from '../../costs/catalog.js';
import { daysBetween } from '../../i18n/dates.js';
import { listPlans } from '../../saas/plans/store.js';
import { orgDataset } from '../../orgs/tables.js';
import { currentPeriod, type Budget } from './fields.js';

/** The money column a monetary budget compares: EffectiveCost by default, BilledCost on request. */
export type CostBasis = 'effective' | 'billed';

export interface Measured {
  period_start: string;
  period_end: string;
  /** In the budget's unit: its currency (rounded to its decimals), tokens or seats. */
  actual: number;
  /** The same actual in the org's currency (monetary only; equal to `actual` when the currencies agree). */
  actual_org: number;
  /** PLACEHOLDER until the forecasting module: month-to-date run rate (actual / elapsed local days × period days). */
  forecast: number;
  forecast_org: number;
  rates: { used: RateUse[]; missing: MissingRate[] };
}

export const segmentMatch = (path: string | null, entityId: string | null, b: Budget): boolean => {
  if (!b.hierarchy_entity_id) return true;
  if (entityId === b.hierarchy_entity_id) return true;
  return !!path && path.split('/').includes(b.hierarchy_entity_id);
};

function providerNames(b: Budget): string[] {
  return [...new Set([b.provider!.toLowerCase(), findProvider(b.provider!)?.name.toLowerCase()].filter((x): x is string => !!x))];
}

export function providerMatch(b: Budget): (name: string | null) => boolean {
  if (!b.provider) return () => true;
  const names = new Set(providerNames(b));
  return (name) => !!name && names.has(name.toLowerCase());
}

/** Run-rate projection over the period from the actual of its elapsed local days (placeholder forecast). */
function runRate(actual: number, start: string, end: string, today: string): number {
  if (today < start) return 0;
  if (today >= end) return actual;
  const elapsed = daysBetween(start, today) + 1;
  return (actual / elapsed) * (daysBetween(start, end) + 1);
}

/**
 * A budget's actual over its current period's local days (inclusive), through the cost views'
 * machinery: resolveScope (the hierarchy subtree by whole path segments, the currency) and
 * loadReduced (the one local-day reduction in the warehouse, FX with the recorded rates in force
 * on each local day). Monetary: EffectiveCost (BilledCost on request) in the budget's currency
 * and in the org's; token: x_InputTokens + x_OutputTokens; seat: seats of the enabled SaaS plans
 * in scope over the period, never money. One reduction per currency asked (in parallel).
 */
export async function measureBudget(ctx: Ctx, b: Budget, org: { currency: string; today: string }, basis: CostBasis = 'effective'): Promise<Measured> {
  const period = currentPeriod(b, org.today);
  if (b.budget_type === 'seat') {
    const seats = await seatsInScope(ctx, b, period);
    return { period_start: period.start, period_end: period.end, actual: seats, actual_org: seats, forecast: seats, forecast_org: seats, rates: { used: [], missing: [] } };
  }
  const costCategories = b.category === 'total' ? undefined : [WEB_CATEGORIES[b.category]!];
  const load = async (currency: string) => {
    const scope = await resolveScope(ctx, {
      orgSlug: b.org_slug, start_date: period.start, end_date: period.end, currency,
      ...(b.hierarchy_entity_id ? { hierarchy_entity_id: b.hierarchy_entity_id } : {}),
    }, { maxDays: 800 });
    // The subtree (whole path segments) and the category are the reduction's own filters; the provider is matched by name here (a budget may name one the cost catalog does not know).
    const { df, rates } = await loadReduced(ctx, scope, period.start, period.end, ['ProviderName'], costCategories);
    const kept = df.height && b.provider ? df.filter(pl.col('ProviderName').str.toLowerCase().isIn(providerNames(b))) : df;
    return { kept, rates };
  };
  if (b.budget_type === 'token') {
    const { kept } = await load(org.currency);
    const tokens = kept.height ? total(kept, 'input_tokens') + total(kept, 'output_tokens') : 0;
    const f = runRate(tokens, period.start, period.end, org.today);
    return { period_start: period.start, period_end: period.end, actual: tokens, actual_org: tokens, forecast: Math.round(f), forecast_org: Math.round(f), rates: { used: [], missing: [] } };
  }
  const col = basis === 'billed' ? 'billed_cost' : 'cost';
  const [own, inOrg] = await Promise.all([load(b.currency), b.currency === org.currency ? null : load(org.currency)]);
  const sum = (k: pl.DataFrame) => (k.height ? total(k, col) : 0);
  const actual = sum(own.kept);
  const actualOrg = inOrg ? sum(inOrg.kept) : actual;
  const d = decimalsOf(b.currency);
  const dOrg = decimalsOf(org.currency);
  return {
    period_start: period.start, period_end: period.end,
    actual: roundMoney(actual, d), actual_org: roundMoney(actualOrg, dOrg),
    forecast: roundMoney(runRate(actual, period.start, period.end, org.today), d), forecast_org: roundMoney(runRate(actualOrg, period.start, period.end, org.today), dOrg),
    rates: { used: [...own.rates.used, ...(inOrg?.rates.used ?? [])], missing: [...own.rates.missing, ...(inOrg?.rates.missing ?? [])] },
  };
}

/** Seats of the enabled, not cancelled SaaS plans in the budget's scope whose dates overlap the period (each plan's latest such version). */
async function seatsInScope(ctx: Ctx, b: Budget, period: { start: string; end: string }): Promise<number> {
  const profile = await ctx.profiles.get(b.org_slug);
  const plans = await listPlans(ctx.warehouse, profile.org_dataset_id || orgDataset(b.org_slug));
  const matchProvider = providerMatch(b);
  const latest = new Map<string, (typeof plans)[number]>();
  for (const p of plans) {
    if (!p.is_enabled || p.cancelled_at || p.start_date > period.end || (p.end_date !== null && p.end_date < period.start)) continue;
    if (!matchProvider(p.provider) || !segmentMatch(p.hierarchy_path, p.hierarchy_entity_id, b)) continue;
    const prev = latest.get(p.plan_id);
    if (!prev || prev.version < p.version) latest.set(p.plan_id, p);
  }
  return [...latest.values()].reduce((n, p) => n + p.seats, 0);
}

/** An amount in `from` as `to` at the recorded rate in force on the local day `day` (the same FX as the cost views). */
export async function convertAmount(ctx: Ctx, amount: number, from: string, to: string, day: string): Promise<{ value: number | null; used: RateUse[] }> {
  if (from === to) return { value: amount, used: [] };
  const rates = await rateTable(ctx);
  const { df, used } = convert(pl.DataFrame([pl.Series('day', [day], pl.Utf8), pl.Series('BillingCurrency', [from], pl.Utf8), pl.Series('v', [amount], pl.Float64)]), rates, to);
  const fx = df.toRecords()[0]?.fx as number | null | undefined;
  return { value: fx === null || fx === undefined ? null : roundMoney(amount * fx, decimalsOf(to)), used };
}

