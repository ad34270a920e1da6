import pl from 'nodejs-polars';
import { billingPeriod, dailyCost, runRates, type PlanPeriod, type PlanPrice } from '../../saas/cost.js';
import { startOfLocalDay, addDays } from '../../i18n/dates.js';
import { findProvider } from '../catalog.js';
import { allocation, SEED_ALLOCATION } from './hierarchy.js';

export type SeedPlan = PlanPrice & PlanPeriod & { subscription_id: string; provider: string; plan_name: string; display_name: string | null; category: string };

/** Plans seeded when the org has none of its own: per-seat and flat, in USD and the org's currency. */
export function defaultPlans(orgCurrency: string, start: string): SeedPlan[] {
  const base = { start_date: start, end_date: null, is_enabled: true, yearly_price: null, discount_type: null, discount_value: null };
  const plans: SeedPlan[] = [
    { ...base, subscription_id: 'seed_slack_pro', provider: 'slack', plan_name: 'PRO', display_name: 'Slack Pro', category: 'communication', pricing_model: 'PER_SEAT', billing_cycle: 'monthly', currency: 'USD', seats: 12, unit_price: '8.75' },
    { ...base, subscription_id: 'seed_github_team', provider: 'github', plan_name: 'TEAM', display_name: 'GitHub Team', category: 'developer_tools', pricing_model: 'PER_SEAT', billing_cycle: 'monthly', currency: 'USD', seats: 10, unit_price: '4' },
    { ...base, subscription_id: 'seed_chatgpt_team', provider: 'chatgpt_plus', plan_name: 'TEAM', display_name: 'ChatGPT Team', category: 'ai', pricing_model: 'PER_SEAT', billing_cycle: 'annual', currency: 'USD', seats: 8, unit_price: '25', yearly_price: '300' },
    { ...base, subscription_id: 'seed_figma_pro', provider: 'figma', plan_name: 'PROFESSIONAL', display_name: 'Figma Professional', category: 'design', pricing_model: 'FLAT_FEE', billing_cycle: 'quarterly', currency: 'USD', seats: 1, unit_price: '180' },
  ];
  if (orgCurrency !== 'USD') {
    const price = orgCurrency === 'JPY' ? '5000' : orgCurrency === 'KWD' || orgCurrency === 'BHD' || orgCurrency === 'OMR' ? '12.5' : '1500';
    plans.push({ ...base, subscription_id: 'seed_notion_local', provider: 'notion', plan_name: 'PLUS', display_name: 'Notion Plus (local billing)', category: 'productivity', pricing_model: 'FLAT_FEE', billing_cycle: 'monthly', currency: orgCurrency, seats: 1, unit_price: price });
  }
  return plans;
}

/** The id of a plan's row of one local day (what the pipelines' daily SaaS job writes too). */
export function saasRecordId(subscriptionId: string, day: string): string {
  return `saas-${subscriptionId}-${day}`;
}

const SERVICE_CATEGORY: Record<string, string> = { developer_tools: 'Developer Tools', ai: 'AI and Machine Learning' };

/**
 * One row per plan per local day, with the shared SaaS formula (saas/cost.ts), as the pipelines'
 * daily job writes them: the charge period is the org's local day in UTC instants.
 */
export function saasRows(plans: readonly SeedPlan[], localDays: readonly string[], timeZone: string, now: Date): pl.DataFrame | undefined {
  const rows: Record<string, unknown>[] = [];
  for (const day of localDays) {
    for (const p of plans) {
      const cost = dailyCost(p, day);
      if (cost === '0') continue;
      const provider = findProvider(p.provider);
      const rates = runRates(p);
      const period = billingPeriod(p.billing_cycle, day);
      rows.push({
        ChargePeriodStart: startOfLocalDay(day, timeZone), ChargePeriodEnd: startOfLocalDay(addDays(day, 1), timeZone),
        // The plan's billing cycle period holding the day, in the org's local days.
        BillingPeriodStart: startOfLocalDay(period.start, timeZone), BillingPeriodEnd: startOfLocalDay(addDays(period.end, 1), timeZone),
        BilledCost: cost, EffectiveCost: cost, ListCost: cost, ContractedCost: cost,
        BillingCurrency: p.currency, PricingQuantity: String(p.seats), PricingUnit: p.pricing_model === 'PER_SEAT' ? 'Seats' : 'Subscriptions',
        ConsumedQuantity: String(p.seats), ConsumedUnit: 'Seats',
        ProviderName: provider?.name ?? p.provider, PublisherName: provider?.name ?? p.provider, InvoiceIssuerName: provider?.name ?? p.provider,
        ServiceName: p.display_name ?? `${p.provider} ${p.plan_name}`, ServiceCategory: SERVICE_CATEGORY[p.category] ?? 'Business Applications', ServiceSubcategory: p.category,
        SkuId: p.plan_name, ResourceId: p.subscription_id, ResourceName: p.display_name ?? p.plan_name, ResourceType: 'Subscription',
        ChargeCategory: 'Purchase', ChargeFrequency: 'Recurring', ChargeDescription: `${p.display_name ?? p.plan_name}: ${p.billing_cycle} ${rates.monthly} ${p.currency}/month`,
        BillingAccountId: `${p.provider}-account`, BillingAccountName: `${provider?.name ?? p.provider} account`, SubAccountId: null, SubAccountName: null,
        ...allocation(SEED_ALLOCATION.saasProvider[p.provider]),
        x_CostCategory: 'saas', x_SubscriptionId: p.subscription_id, x_SourceSystem: 'saas_daily_costs', x_SourceRecordId: saasRecordId(p.subscription_id, day), x_UpdatedAt: now,
      });
    }
  }
  if (!rows.length) return undefined;
  const money = ['BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'PricingQuantity', 'ConsumedQuantity'];
  // Decimal strings stay exact: Polars parses them as Decimal(38, 9), the ledger's NUMERIC.
  // Hierarchy columns are text even when no plan of the run is allocated (an all-null column would be Float64).
  const text = ['x_HierarchyEntityId', 'x_HierarchyEntityName', 'x_HierarchyLevelCode', 'x_HierarchyPath', 'x_HierarchyPathNames'];
  return pl.DataFrame(rows).withColumns(...money.map((c) => pl.col(c).cast(pl.Decimal(38, 9))), ...text.map((c) => pl.col(c).cast(pl.Utf8)));
}
