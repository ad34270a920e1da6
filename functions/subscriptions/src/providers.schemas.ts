import { z } from 'zod';

/** Bodies and answers of the provider routes (GET /providers, enable, disable, reset, available-plans). */
export const EnableBody = z.strictObject({
  seed_plans: z.boolean().optional().describe('Copy the catalog\'s plans in, disabled (never twice)'),
  category: z.string().optional().describe('Custom providers only (default other); one of configs/saas/categories.yml'),
  display_name: z.string().min(1).max(200).optional().describe('Custom providers only'),
});

export const EnableResponse = z.strictObject({
  success: z.boolean(),
  provider: z.string(),
  plans_seeded: z.number().int(),
  message: z.string(),
});

export const ResetResponse = EnableResponse.extend({ plans_ended: z.number().int().describe('Versions of the org\'s own plans ended today') });

export const DisableResponse = z.strictObject({
  success: z.boolean(),
  provider: z.string(),
  plans_ended: z.number().int(),
  message: z.string(),
});

export const ProvidersResponse = z.strictObject({
  providers: z.array(z.strictObject({
    provider: z.string(),
    display_name: z.string(),
    category: z.string(),
    is_custom: z.boolean(),
    is_enabled: z.boolean(),
    plan_count: z.number().int().describe('Plans (all versions of one plan count once), whatever their status'),
    active_plan_count: z.number().int().describe('Enabled plan versions paid for today'),
    monthly_cost_by_currency: z.record(z.string(), z.string()).describe('Monthly run-rate per currency, exact decimal strings'),
    total_monthly_cost: z.number().nullable().describe('The monthly run-rate as a JSON number in `currency` (the web app\'s field; exact twin in monthly_cost_by_currency); null when the provider\'s plans are in several currencies'),
    currency: z.string().nullable(),
  })),
  total: z.number().int(),
});

export const AvailablePlansResponse = z.strictObject({
  success: z.boolean(),
  provider: z.string(),
  plans: z.array(z.strictObject({
    plan_name: z.string(),
    display_name: z.string(),
    billing_cycle: z.string(),
    pricing_model: z.string(),
    currency: z.string(),
    unit_price: z.number().describe('A JSON number, the exact catalog decimal'),
    unit_price_usd: z.number(),
    unit_price_exact: z.string().describe('unit_price as the exact decimal string ("8.75")'),
    yearly_price: z.number().nullable(),
    seats: z.number().int(),
    category: z.string(),
    discount_type: z.string().nullable(),
    discount_value: z.number().nullable(),
    notes: z.string().nullable(),
  })),
});
