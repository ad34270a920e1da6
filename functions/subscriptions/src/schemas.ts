import { z } from 'zod';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { BillingCycleZ, DiscountTypeZ, PlanStatusZ, PricingModelZ, ProviderName, SubscriptionId } from '@cloudact/shared/saas/schemas';

/** Path parameters and the plan as every route shows it. Bodies: plans.schemas.ts, providers.schemas.ts. */
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const ProviderParams = z.strictObject({ org_slug: OrgSlug, provider: ProviderName });
export const PlanParams = z.strictObject({ org_slug: OrgSlug, provider: ProviderName, subscription_id: SubscriptionId });

const Money = z.string().describe('Exact decimal in the plan\'s currency, e.g. "25.00"');
/** Money the web app does arithmetic on: a JSON number written as the exact decimal (at most 15 significant digits). */
const MoneyNumber = z.number().describe('In the plan\'s currency: a JSON number whose text is the exact stored decimal (10.1 for 10.10; at most 15 significant digits)');
const Timestamp = z.iso.datetime().describe('ISO 8601, UTC');
const Day = z.iso.date();

export const Plan = z.strictObject({
  org_slug: z.string().describe('The org the plan belongs to (the web app\'s SubscriptionPlan has it)'),
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
  unit_price: MoneyNumber.describe('Price per billing cycle (per seat for PER_SEAT), a JSON number'),
  unit_price_usd: MoneyNumber.describe('Same as unit_price, in the plan\'s currency (the web app reads this name)'),
  unit_price_exact: Money.describe('unit_price as the exact decimal string at the currency\'s scale ("10.10")'),
  yearly_price: MoneyNumber.nullable(),
  yearly_price_usd: MoneyNumber.nullable().describe('Same as yearly_price'),
  yearly_price_exact: Money.nullable().describe('yearly_price as the exact decimal string'),
  discount_type: DiscountTypeZ.nullable(),
  discount_value: z.number().nullable().describe('Percent (0-100) or a fixed amount per cycle, a JSON number'),
  auto_renew: z.boolean(),
  payment_method: z.string().nullable(),
  invoice_id_last: z.string().nullable(),
  owner_email: z.string().nullable(),
  department: z.string().nullable(),
  renewal_date: Day.nullable(),
  contract_id: z.string().nullable(),
  notes: z.string().nullable(),
  catalog_plan_id: z.string().nullable().describe('The catalog plan it was seeded from'),
  hierarchy_entity_id: z.string().nullable().describe('The org hierarchy entity the cost is allocated to (stored as sent)'),
  hierarchy_entity_name: z.string().nullable(),
  hierarchy_level_code: z.string().nullable(),
  hierarchy_path: z.string().nullable(),
  hierarchy_path_names: z.array(z.string()).describe('Names along the path; a string sent is one element'),
  source_currency: z.string().nullable().describe('Currency of the template price before the web app converted it (information only)'),
  source_price: z.number().nullable().describe('That price (information only)'),
  exchange_rate_used: z.number().nullable().describe('The rate it was converted with (information only)'),
  billing_anchor_day: z.number().int().nullable().describe('Day of the month billed (information only: costs use calendar periods)'),
  monthly_cost: Money.describe('Monthly run-rate (shared/src/saas/cost.ts), whatever the dates'),
  annual_cost: Money.describe('Annual run-rate'),
  created_at: Timestamp,
  updated_at: Timestamp.nullable(),
});

export const TotalsByCurrency = z.record(z.string(), z.strictObject({ monthly: Money, annual: Money }))
  .describe('Run-rates of the enabled plans paid for today, per currency (never summed across currencies)');

/** The totals every listing carries; the single-currency figures are null when plans are in several currencies. */
export const Totals = {
  total_monthly_cost: z.number().nullable().describe('A JSON number in `currency` (the exact decimal; its exact string is totals_by_currency[currency].monthly); null when the counted plans are in several currencies'),
  total_annual_cost: z.number().nullable().describe('As total_monthly_cost; exact string in totals_by_currency[currency].annual'),
  currency: z.string().nullable(),
  totals_by_currency: TotalsByCurrency,
};
