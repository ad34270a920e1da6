import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { BillingCycleZ, DiscountTypeZ, PlanStatusZ, PricingModelZ, ProviderName, SubscriptionId } from '@cloudact/shared/saas/schemas';

/** Path parameters and the plan as every route shows it. Bodies: plans.schemas.ts, providers.schemas.ts. */
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const ProviderParams = z.strictObject({ org_slug: OrgSlug, provider: ProviderName });
export const PlanParams = z.strictObject({ org_slug: OrgSlug, provider: ProviderName, subscription_id: SubscriptionId });

const Money = z.string().describe('Exact decimal in the plan\'s currency, e.g. "25.00"');
const Timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const Day = z.iso.date();

export const Plan = z.strictObject({
  subscription_id: z.string().describe('This version\'s id'),
  plan_id: z.string().describe('Shared by every version of the plan'),
  version: z.number().int(),
  superseded_by: z.string().nullable().describe('The next version\'s subscription_id, once edit-version made one'),
  provider: z.string(),
  plan_name: z.string(),
  display_name: z.string().nullable(),
  category: z.string(),
  status: PlanStatusZ.describe('Computed for the org\'s today: pending (starts later), active, cancelled (ended by request), expired (end date passed)'),
  is_enabled: z.boolean().describe('A disabled plan is listed and counted nowhere'),
  start_date: Day,
  end_date: Day.nullable().describe('Last day paid for (inclusive)'),
  cancelled_at: Timestamp.nullable(),
  billing_cycle: BillingCycleZ,
  currency: z.string().describe('The plan\'s own currency (may differ from the org\'s)'),
  seats: z.number().int(),
  pricing_model: PricingModelZ,
  unit_price: Money.describe('Price per billing cycle (per seat for PER_SEAT)'),
  unit_price_usd: Money.describe('Same as unit_price, in the plan\'s currency (the web app reads this name)'),
  yearly_price: Money.nullable(),
  yearly_price_usd: Money.nullable().describe('Same as yearly_price'),
  discount_type: DiscountTypeZ.nullable(),
  discount_value: z.string().nullable(),
  auto_renew: z.boolean(),
  payment_method: z.string().nullable(),
  invoice_id_last: z.string().nullable(),
  owner_email: z.string().nullable(),
  department: z.string().nullable(),
  renewal_date: Day.nullable(),
  contract_id: z.string().nullable(),
  notes: z.string().nullable(),
  catalog_plan_id: z.string().nullable().describe('The catalog plan it was seeded from'),
  monthly_cost: Money.describe('Monthly run-rate (shared/src/saas/cost.ts), whatever the dates'),
  annual_cost: Money.describe('Annual run-rate'),
  created_at: Timestamp,
  updated_at: Timestamp.nullable(),
});

export const TotalsByCurrency = z.record(z.string(), z.strictObject({ monthly: Money, annual: Money }))
  .describe('Run-rates of the enabled plans paid for today, per currency (never summed across currencies)');

/** The totals every listing carries; the single-currency figures are null when plans are in several currencies. */
export const Totals = {
  total_monthly_cost: Money.nullable().describe('In `currency`; null when the counted plans are in several currencies (see totals_by_currency)'),
  total_annual_cost: Money.nullable(),
  currency: z.string().nullable(),
  totals_by_currency: TotalsByCurrency,
};
