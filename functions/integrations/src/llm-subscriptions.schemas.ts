import { z } from 'zod';
import { Day } from '@cloudact/shared/integrations/days';
import { BILLING_PERIODS, TIER_TYPES } from '@cloudact/shared/integrations/llm-subscriptions/model';
import { MoneyInput, PercentageInput } from '@cloudact/shared/integrations/money';
import { CurrencyCode } from '@cloudact/shared/orgs/schemas';
import { ProviderParams } from './schemas.js';

/** LLM subscriptions (table llm_subscriptions, not the SaaS plans): /integrations/{org}/{provider}/subscriptions... */

const PlanName = z.string().regex(/^[a-zA-Z0-9_]{1,50}$/, 'plan_name must be 1-50 letters, digits or underscores');

export const SubscriptionParams = ProviderParams.extend({ plan_name: PlanName });

export const SubscriptionListQuery = z.strictObject({
  is_enabled: z.stringbool().optional(),
  include_custom: z.stringbool().default(true),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const Limit = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional();

/** Every field a caller may set; the `_usd` names are the web app's older names of the same amounts. */
const fields = {
  quantity: z.number().int().min(0).max(1_000_000_000).optional(),
  unit_price: MoneyInput.optional(),
  unit_price_usd: MoneyInput.optional().describe('Another name of unit_price'),
  currency: CurrencyCode.optional().describe('The org\'s default currency when absent'),
  effective_date: Day.optional(),
  end_date: Day.nullable().optional(),
  is_enabled: z.boolean().optional(),
  tier_type: z.enum(TIER_TYPES).optional(),
  trial_end_date: Day.nullable().optional(),
  trial_credit: MoneyInput.nullable().optional(),
  trial_credit_usd: MoneyInput.nullable().optional().describe('Another name of trial_credit'),
  monthly_token_limit: Limit,
  daily_token_limit: Limit,
  rpm_limit: Limit,
  tpm_limit: Limit,
  rpd_limit: Limit,
  tpd_limit: Limit,
  concurrent_limit: Limit,
  committed_spend: MoneyInput.nullable().optional(),
  committed_spend_usd: MoneyInput.nullable().optional().describe('Another name of committed_spend'),
  commitment_term_months: z.number().int().min(0).max(1200).nullable().optional(),
  discount_percentage: PercentageInput.nullable().optional(),
  billing_period: z.enum(BILLING_PERIODS).optional(),
  yearly_price: MoneyInput.nullable().optional(),
  yearly_price_usd: MoneyInput.nullable().optional().describe('Another name of yearly_price'),
  yearly_discount_percentage: PercentageInput.nullable().optional(),
  notes: z.string().max(1000).nullable().optional(),
};

const PAIRS = [['unit_price', 'unit_price_usd'], ['trial_credit', 'trial_credit_usd'], ['committed_spend', 'committed_spend_usd'], ['yearly_price', 'yearly_price_usd']] as const;

interface Aliased {
  unit_price?: string; unit_price_usd?: string; trial_credit?: string | null; trial_credit_usd?: string | null;
  committed_spend?: string | null; committed_spend_usd?: string | null; yearly_price?: string | null; yearly_price_usd?: string | null;
}
const oneName = (b: Aliased) => PAIRS.every(([a, alias]) => b[a] === undefined || b[alias] === undefined);
const ONE_NAME = 'Give each amount once, under its name or its _usd name';

function unalias<T extends Aliased>({ unit_price_usd, trial_credit_usd, committed_spend_usd, yearly_price_usd, ...rest }: T) {
  return {
    ...rest,
    unit_price: rest.unit_price ?? unit_price_usd,
    trial_credit: rest.trial_credit !== undefined ? rest.trial_credit : trial_credit_usd,
    committed_spend: rest.committed_spend !== undefined ? rest.committed_spend : committed_spend_usd,
    yearly_price: rest.yearly_price !== undefined ? rest.yearly_price : yearly_price_usd,
  };
}

export const CreateSubscriptionBody = z.strictObject({
  plan_name: PlanName,
  subscription_id: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional().describe('Made up when absent'),
  ...fields,
}).refine(oneName, ONE_NAME)
  .refine((b) => (b.unit_price ?? b.unit_price_usd) !== undefined, 'unit_price (or unit_price_usd) is required')
  .transform(unalias);

export const UpdateSubscriptionBody = z.strictObject(fields)
  .refine(oneName, ONE_NAME)
  .refine((b) => Object.values(b).some((v) => v !== undefined), 'Give at least one field to change')
  .transform(unalias);

// ---- Response bodies ----

const Money = z.number();

export const SubscriptionEntry = z.strictObject({
  subscription_id: z.string(),
  provider: z.string(),
  plan_name: z.string(),
  is_custom: z.boolean(),
  quantity: z.number().int(),
  unit_price: Money,
  unit_price_usd: Money.describe('Same as unit_price (in currency), for the web app\'s older name'),
  currency: z.string(),
  effective_date: z.string(),
  end_date: z.string().nullable(),
  is_enabled: z.boolean(),
  auth_type: z.string().nullable(),
  notes: z.string().nullable(),
  tier_type: z.enum(TIER_TYPES),
  trial_end_date: z.string().nullable(),
  trial_credit: Money.nullable(),
  trial_credit_usd: Money.nullable(),
  monthly_token_limit: z.number().int().nullable(),
  daily_token_limit: z.number().int().nullable(),
  rpm_limit: z.number().int().nullable(),
  tpm_limit: z.number().int().nullable(),
  rpd_limit: z.number().int().nullable(),
  tpd_limit: z.number().int().nullable(),
  concurrent_limit: z.number().int().nullable(),
  committed_spend: Money.nullable(),
  committed_spend_usd: Money.nullable(),
  commitment_term_months: z.number().int().nullable(),
  discount_percentage: Money.nullable(),
  billing_period: z.enum(BILLING_PERIODS),
  yearly_price: Money.nullable(),
  yearly_price_usd: Money.nullable(),
  yearly_discount_percentage: Money.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const SubscriptionListResponse = z.strictObject({
  org_slug: z.string(),
  provider: z.string(),
  subscriptions: z.array(SubscriptionEntry),
  count: z.number().int(),
});

/** DELETE answers 204 with no body. */
export const NoContent = z.undefined();
