import { randomUUID } from 'node:crypto';
import { amount } from '../money.js';
import type { SubscriptionRow } from './store.js';

export const TIER_TYPES = ['free', 'trial', 'paid', 'enterprise', 'committed_use'] as const;
export const BILLING_PERIODS = ['weekly', 'monthly', 'quarterly', 'yearly', 'pay_as_you_go'] as const;

/** What a caller may set on an LLM subscription (money as exact decimal strings; see money.ts). */
export interface SubscriptionFields {
  quantity?: number;
  unit_price?: string;
  currency?: string;
  effective_date?: string;
  end_date?: string | null;
  is_enabled?: boolean;
  tier_type?: (typeof TIER_TYPES)[number];
  trial_end_date?: string | null;
  trial_credit?: string | null;
  monthly_token_limit?: number | null;
  daily_token_limit?: number | null;
  rpm_limit?: number | null;
  tpm_limit?: number | null;
  rpd_limit?: number | null;
  tpd_limit?: number | null;
  concurrent_limit?: number | null;
  committed_spend?: string | null;
  commitment_term_months?: number | null;
  discount_percentage?: string | null;
  billing_period?: (typeof BILLING_PERIODS)[number];
  yearly_price?: string | null;
  yearly_discount_percentage?: string | null;
  notes?: string | null;
}

/**
 * A subscription as responses show it: money as JSON numbers, and under the web app's older
 * `_usd` names too (the same amounts, in `currency`), while it still reads them.
 */
export function subscriptionView(r: SubscriptionRow) {
  const unitPrice = amount(r.unit_price);
  const trialCredit = amount(r.trial_credit);
  const committedSpend = amount(r.committed_spend);
  const yearlyPrice = amount(r.yearly_price);
  return {
    subscription_id: r.subscription_id,
    provider: r.provider,
    plan_name: r.plan_name,
    is_custom: r.is_custom,
    quantity: r.quantity,
    unit_price: unitPrice,
    unit_price_usd: unitPrice,
    currency: r.currency,
    effective_date: r.effective_date,
    end_date: r.end_date,
    is_enabled: r.is_enabled,
    auth_type: r.auth_type,
    notes: r.notes,
    tier_type: r.tier_type as (typeof TIER_TYPES)[number],
    trial_end_date: r.trial_end_date,
    trial_credit: trialCredit,
    trial_credit_usd: trialCredit,
    monthly_token_limit: r.monthly_token_limit,
    daily_token_limit: r.daily_token_limit,
    rpm_limit: r.rpm_limit,
    tpm_limit: r.tpm_limit,
    rpd_limit: r.rpd_limit,
    tpd_limit: r.tpd_limit,
    concurrent_limit: r.concurrent_limit,
    committed_spend: committedSpend,
    committed_spend_usd: committedSpend,
    commitment_term_months: r.commitment_term_months,
    discount_percentage: amount(r.discount_percentage),
    billing_period: r.billing_period as (typeof BILLING_PERIODS)[number],
    yearly_price: yearlyPrice,
    yearly_price_usd: yearlyPrice,
    yearly_discount_percentage: amount(r.yearly_discount_percentage),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}
export type SubscriptionView = ReturnType<typeof subscriptionView>;

export function newSubscriptionRow(provider: string, input: SubscriptionFields & { plan_name: string; subscription_id?: string; is_custom?: boolean }, defaults: { currency: string; today: string; now: Date }): SubscriptionRow {
  const at = defaults.now.toISOString();
  return {
    subscription_id: input.subscription_id ?? randomUUID(), provider, plan_name: input.plan_name, is_custom: input.is_custom ?? true,
    quantity: input.quantity ?? 1, unit_price: input.unit_price ?? '0', currency: input.currency ?? defaults.currency,
    effective_date: input.effective_date ?? defaults.today, end_date: input.end_date ?? null, is_enabled: input.is_enabled ?? true,
    auth_type: null, notes: input.notes ?? null, x_gemini_project_id: null, x_gemini_region: null, x_anthropic_workspace_id: null, x_openai_org_id: null,
    tier_type: input.tier_type ?? 'paid', trial_end_date: input.trial_end_date ?? null, trial_credit: input.trial_credit ?? null,
    monthly_token_limit: input.monthly_token_limit ?? null, daily_token_limit: input.daily_token_limit ?? null, rpm_limit: input.rpm_limit ?? null,
    tpm_limit: input.tpm_limit ?? null, rpd_limit: input.rpd_limit ?? null, tpd_limit: input.tpd_limit ?? null, concurrent_limit: input.concurrent_limit ?? null,
    committed_spend: input.committed_spend ?? null, commitment_term_months: input.commitment_term_months ?? null, discount_percentage: input.discount_percentage ?? null,
    billing_period: input.billing_period ?? 'monthly', yearly_price: input.yearly_price ?? null, yearly_discount_percentage: input.yearly_discount_percentage ?? null,
    created_at: at, updated_at: at, revision: 0,
  };
}

/** A plan that ends before it starts is refused. */
export function datesProblem(r: Pick<SubscriptionRow, 'effective_date' | 'end_date'>): string | undefined {
  return r.end_date !== null && r.end_date < r.effective_date ? `end_date ${r.end_date} is before effective_date ${r.effective_date}` : undefined;
}
