import { z } from 'zod';
import { Amount, InfoAmount, BillingCycleZ, CivilDate, DiscountTypeZ, PlanCurrency, PlanName, PlanStatusZ, PricingModelZ, QueryBool } from '@cloudact/shared/saas/schemas';
import { Plan, Totals } from './schemas.js';

/** Bodies, queries and answers of the plan routes. */

const Text = (max: number) => z.string().max(max);
/** Text that may be sent empty or null: stored as null then. */
const OptionalText = (max: number) => Text(max).nullable().optional().transform((v) => (v === '' ? null : v));
/** What a plan is called and who owns it: changed in place by PUT, or carried into a new version. */
const InPlace = {
  display_name: Text(200).nullable().optional(),
  owner_email: z.email().nullable().optional(),
  department: Text(200).nullable().optional(),
  notes: Text(2000).nullable().optional(),
  contract_id: Text(200).nullable().optional(),
  renewal_date: CivilDate.nullable().optional(),
  payment_method: Text(100).nullable().optional(),
  auto_renew: z.boolean().optional(),
  invoice_id_last: Text(200).nullable().optional(),
  // The web app's cost allocation (its add-plan page always sends these five) and template
  // conversion details: stored and shown as sent ('' as null), never priced.
  hierarchy_entity_id: OptionalText(200),
  hierarchy_entity_name: OptionalText(500),
  hierarchy_level_code: OptionalText(100),
  hierarchy_path: OptionalText(2000),
  hierarchy_path_names: z.union([z.array(Text(500)).max(50), Text(2000)]).nullable().optional()
    .transform((v) => (v === undefined ? undefined : v === null || v === '' ? [] : typeof v === 'string' ? [v] : v))
    .describe('Names along the path: an array, or one string (stored as one element)'),
  source_currency: z.union([z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as USD'), z.literal('')]).nullable().optional().transform((v) => (v === '' ? null : v)),
  source_price: InfoAmount.nullable().optional().describe('Information only; rounded to 9 decimals'),
  exchange_rate_used: InfoAmount.nullable().optional().describe('Information only; rounded to 9 decimals'),
  billing_anchor_day: z.number().int().min(1).max(31).nullable().optional().describe('Day of the month billed, 1-31 (information only)'),
};
/** What is paid: only edit-version changes these (PUT refuses a change, accepts the same values). */
const Price = {
  billing_cycle: BillingCycleZ.optional(),
  currency: PlanCurrency.optional(),
  seats: z.number().int().min(0).max(10_000_000).optional(),
  pricing_model: PricingModelZ.optional(),
  unit_price: Amount.optional(),
  unit_price_usd: Amount.optional().describe('Another name of unit_price (the web app sends it); same currency'),
  yearly_price: Amount.nullable().optional(),
  yearly_price_usd: Amount.nullable().optional().describe('Another name of yearly_price'),
  discount_type: DiscountTypeZ.nullable().optional(),
  discount_value: Amount.nullable().optional(),
};

type Aliased = { unit_price?: string; unit_price_usd?: string; yearly_price?: string | null; yearly_price_usd?: string | null };
const oneName = (b: Aliased) => !(b.unit_price !== undefined && b.unit_price_usd !== undefined) && !(b.yearly_price !== undefined && b.yearly_price_usd !== undefined);
/** Folds the *_usd names into the plain ones. */
function unalias<T extends Aliased>({ unit_price_usd, yearly_price_usd, ...rest }: T): Omit<T, 'unit_price_usd' | 'yearly_price_usd'> {
  return {
    ...rest,
    ...(unit_price_usd !== undefined ? { unit_price: unit_price_usd } : {}),
    ...(yearly_price_usd !== undefined ? { yearly_price: yearly_price_usd } : {}),
  };
}
const ONE_NAME = 'Give unit_price or unit_price_usd (and yearly_price or yearly_price_usd), not both';

/** The explicit consent a change needs to re-price days already reported (shared/src/saas/plans/backdate.ts). */
const Backdate = z.boolean().optional();

export const CreatePlanBody = z.strictObject({
  plan_name: PlanName,
  category: z.string().optional().describe('Default: the provider\'s; one of configs/saas/categories.yml'),
  is_enabled: z.boolean().optional(),
  start_date: CivilDate.optional().describe('Default: today in the org\'s timezone'),
  end_date: CivilDate.nullable().optional(),
  ...Price,
  ...InPlace,
}).refine(oneName, ONE_NAME)
  .refine((b) => b.unit_price !== undefined || b.unit_price_usd !== undefined, { message: 'unit_price is required', path: ['unit_price'] })
  .transform((b) => { const u = unalias(b); return { ...u, unit_price: u.unit_price! }; });

export const EditVersionBody = z.strictObject({
  effective_date: CivilDate.describe('First day of the new version; the current one ends the day before'),
  status: PlanStatusZ.optional().describe('Accepted and ignored (the web app\'s edit form sends it back): a version\'s status is computed from its dates'),
  backdate: Backdate.describe('Set to true to let an effective_date before the org\'s today re-price days already reported; without it such a date is refused (422). Audited as SAAS_PLAN_BACKDATE with before and after'),
  ...Price,
  ...InPlace,
}).refine(oneName, ONE_NAME).transform(unalias);

export const UpdatePlanBody = z.strictObject({
  status: z.enum(['active', 'cancelled']).optional().describe('cancelled ends the plan (end_date, default today); active re-opens a cancelled one'),
  end_date: CivilDate.optional(),
  backdate: Backdate.describe('With status cancelled: set to true to let an end_date before the org\'s today take reported days away; without it such a date is refused (422). Audited as SAAS_PLAN_BACKDATE'),
  ...Price,
  ...InPlace,
}).refine(oneName, ONE_NAME).transform(unalias);

export const ListPlansQuery = z.strictObject({
  include_disabled: QueryBool.optional().describe('Default true'),
  status: PlanStatusZ.optional(),
});
export const AllPlansQuery = z.strictObject({ enabled_only: QueryBool.optional().describe('Default false') });
export const EndPlanQuery = z.strictObject({
  end_date: CivilDate.optional().describe('Last paid day; default today in the org\'s timezone'),
  backdate: QueryBool.optional().describe('true lets an end_date before the org\'s today take reported days away; without it such a date is refused (422). Audited as SAAS_PLAN_BACKDATE'),
});

export const PlanResponse = z.strictObject({ success: z.boolean(), plan: Plan, message: z.string() });
export const EditVersionResponse = z.strictObject({ success: z.boolean(), new_plan: Plan, old_plan: Plan, message: z.string() });
export const PlansResponse = z.strictObject({ plans: z.array(Plan), total: z.number().int(), ...Totals });
export const AllPlansResponse = z.strictObject({
  success: z.boolean(),
  plans: z.array(Plan),
  summary: z.strictObject({
    ...Totals,
    count_by_category: z.record(z.string(), z.number().int()),
    enabled_count: z.number().int(),
    total_count: z.number().int(),
  }),
});
export const EndPlanResponse = z.strictObject({ success: z.boolean(), subscription_id: z.string(), message: z.string() });
export const ToggleResponse = z.strictObject({ success: z.boolean(), subscription_id: z.string(), is_enabled: z.boolean(), status: PlanStatusZ, message: z.string() });
export const HistoryResponse = z.strictObject({
  success: z.boolean(),
  plan_id: z.string(),
  provider: z.string(),
  plan_name: z.string(),
  history: z.array(Plan).describe('Every version, oldest first'),
  total: z.number().int(),
});
