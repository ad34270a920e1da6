import { z } from 'zod';
import { ForecastDetailsZ, ForecastMethodZ } from '@cloudact/shared/forecast/schema';
import { CurrencyCode, OrgSlug } from '@cloudact/shared/orgs/schemas';
import { BUDGET_TYPES, CATEGORIES, PERIOD_TYPES } from '@cloudact/shared/budgets/budgets/fields';

/** Path parameters, queries, bodies and answers of the budgets routes. */
export const OrgParams = z.strictObject({ org_slug: OrgSlug });
export const BudgetParams = z.strictObject({ org_slug: OrgSlug, budget_id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'budget_id: letters, digits, _ and -') });

const Day = z.iso.date().describe('Inclusive local date (the org\'s zone)');
const Timestamp = z.string().describe('ISO 8601, UTC');
/** At most 15 significant digits, so the JSON number answered is the exact decimal. */
const Amount = z.union([z.string(), z.number()]).transform((v) => String(v)).pipe(
  z.string().regex(/^\d{1,13}(\.\d{1,9})?$/, 'a non-negative decimal, at most 13 integer and 9 fractional digits')
    .refine((s) => s.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length <= 15, 'at most 15 significant digits'),
).describe('A decimal (string or number): money in `currency`, tokens or seats');
const EntityId = z.string().trim().min(1).max(50);
const Threshold = z.strictObject({ percent: z.number().positive().max(1000), of: z.enum(['actual', 'forecast']).default('actual') });

export const CategoryZ = z.enum(CATEGORIES);
export const PeriodTypeZ = z.enum(PERIOD_TYPES);

export const ListBudgetsQuery = z.strictObject({
  category: CategoryZ.optional(),
  hierarchy_entity_id: EntityId.optional(),
  is_active: z.stringbool().optional(),
  period_type: PeriodTypeZ.optional(),
});

const fields = {
  hierarchy_entity_id: EntityId.nullable().optional().describe('The hierarchy entity; absent or null = the whole org'),
  hierarchy_entity_name: z.string().max(200).nullable().optional(),
  hierarchy_path: z.string().max(1000).regex(/^(\/[A-Za-z0-9_-]+)+$/, 'hierarchy_path: /DEPT-X/PROJ-Y').nullable().optional().describe('Default /<hierarchy_entity_id>'),
  hierarchy_level_code: z.string().max(50).nullable().optional(),
  budget_type: z.enum(BUDGET_TYPES).optional().describe('Default monetary'),
  budget_amount: Amount,
  currency: z.string().transform((c) => c.toUpperCase()).pipe(CurrencyCode).optional().describe('Default the org\'s currency'),
  period_start: Day.optional(),
  period_end: Day.optional(),
  recurring: z.boolean().optional().describe('Renews each period of the org\'s calendar (default false)'),
  fiscal_year_start_month: z.number().int().min(1).max(12).optional().describe('Where quarters and years start, 1-12 (default 1: January). A budget-level setting'),
  provider: z.string().trim().min(1).max(100).nullable().optional().describe('Absent or null = every provider'),
  thresholds: z.array(Threshold).max(20).optional().describe('Default 50, 80, 100 % of actual and 100 % of forecast'),
  notes: z.string().max(2000).nullable().optional(),
  is_active: z.boolean().optional(),
};

export const CreateBudgetBody = z.strictObject({ ...fields, category: CategoryZ, period_type: PeriodTypeZ });
export type CreateBudgetBody = z.infer<typeof CreateBudgetBody>;

export const UpdateBudgetBody = z.strictObject({
  ...fields, budget_amount: Amount.optional(), category: CategoryZ.optional(), period_type: PeriodTypeZ.optional(),
  revision: z.number().int().min(0).optional().describe('The revision read: 409 when the budget changed since'),
});

export const Budget = z.strictObject({
  budget_id: z.string(),
  org_slug: z.string(),
  hierarchy_entity_id: z.string().nullable(),
  hierarchy_entity_name: z.string().nullable(),
  hierarchy_path: z.string().nullable(),
  hierarchy_level_code: z.string().nullable(),
  category: CategoryZ,
  budget_type: z.enum(BUDGET_TYPES),
  budget_amount: z.number().describe('A JSON number whose text is the exact stored decimal'),
  budget_amount_exact: z.string(),
  currency: z.string(),
  period_type: PeriodTypeZ,
  period_start: Day,
  period_end: Day,
  recurring: z.boolean(),
  fiscal_year_start_month: z.number().int(),
  provider: z.string().nullable(),
  thresholds: z.array(z.strictObject({ percent: z.number(), of: z.enum(['actual', 'forecast']) })),
  notes: z.string().nullable(),
  is_active: z.boolean(),
  revision: z.number().int().describe('Send it back with PUT'),
  allocation_parent_id: z.string().nullable(),
  allocation_percent: z.number().nullable(),
  created_at: Timestamp,
  created_by: z.string().nullable(),
  updated_at: Timestamp,
  updated_by: z.string().nullable(),
});

export const BudgetsResponse = z.strictObject({ budgets: z.array(Budget), total: z.number().int() });
export const DeleteResponse = z.strictObject({ success: z.literal(true), budget_id: z.string(), message: z.string() });

export const SummaryQuery = z.strictObject({
  category: CategoryZ.optional(),
  hierarchy_entity_id: EntityId.optional(),
  period_type: PeriodTypeZ.optional(),
  cost_basis: z.enum(['effective', 'billed']).optional().describe('Default effective: EffectiveCost; billed: BilledCost'),
});

const RateUse = z.strictObject({
  from: z.string(), to: z.string(), first_day: z.string(), last_day: z.string(),
  fixing_dates: z.strictObject({ first: z.string().nullable(), last: z.string().nullable(), count: z.number().int() }),
  min_rate: z.number(), max_rate: z.number(), carried_forward: z.boolean(), approximation: z.boolean(), newest_fixing: z.string().nullable(),
});
const MissingRate = z.strictObject({ currency: z.string(), to: z.string(), amount: z.number(), billed_amount: z.number(), record_count: z.number(), first_day: z.string(), last_day: z.string() });
const Threshold2 = z.strictObject({ percent: z.number(), of: z.enum(['actual', 'forecast']) });

export const SummaryItem = z.strictObject({
  budget_id: z.string(),
  hierarchy_entity_id: z.string().nullable(),
  hierarchy_entity_name: z.string().nullable(),
  hierarchy_path: z.string().nullable(),
  hierarchy_level_code: z.string().nullable(),
  category: CategoryZ,
  budget_type: z.enum(BUDGET_TYPES),
  budget_amount: z.number(),
  actual_amount: z.number().describe('Monetary: EffectiveCost (or BilledCost) of the scope over the period\'s local days in `currency`; token: input + output tokens; seat: seats of the SaaS plans in scope'),
  forecast_amount: z.number().describe('Median forecast of the period: actual + SaaS plans ahead (exact) + usage median to the period end (seat budgets: the seats)'),
  forecast_method: z.union([ForecastMethodZ, z.literal('known_seats')]),
  exhaustion_date: z.string().nullable().describe('The first local day the median forecast reaches budget_amount (null: not within the period)'),
  forecast: ForecastDetailsZ.nullable().describe('How the forecast was made and how accurate it has been on this scope (null for seat budgets)'),
  variance: z.number().describe('budget_amount - actual_amount'),
  variance_percent: z.number(),
  currency: z.string().describe('The budget\'s currency; TOKENS or SEATS for those budgets'),
  period_type: PeriodTypeZ,
  period_start: Day.describe('The current period (a recurring budget\'s renewed one)'),
  period_end: Day,
  provider: z.string().nullable(),
  is_over_budget: z.boolean(),
  forecast_over_budget: z.boolean(),
  thresholds_crossed: z.array(Threshold2),
  allocation_parent_id: z.string().nullable(),
  counted_in_totals: z.boolean().describe('Monetary and not allocated from another budget listed (its parent holds it)'),
  budget_amount_org: z.number().nullable().describe('budget_amount in the org\'s currency (null: no rate)'),
  actual_amount_org: z.number().describe('actual_amount in the org\'s currency'),
});

const Totals = {
  total_budget: z.number().describe('In the org\'s currency, each amount once'),
  total_actual: z.number(),
  total_variance: z.number(),
  total_variance_percent: z.number(),
  currency: z.string().describe('The org\'s currency'),
  budgets_over: z.number().int(),
  budgets_total: z.number().int(),
};

export const SummaryResponse = z.strictObject({
  org_slug: z.string(),
  items: z.array(SummaryItem),
  ...Totals,
  budgets_under: z.number().int(),
  cost_basis: z.enum(['EffectiveCost', 'BilledCost']),
  forecast_method: ForecastMethodZ,
  unconvertible_budgets: z.array(z.string()).describe('Budgets left out of the totals: no rate converts their currency to the org\'s'),
  exchange_rates: z.array(RateUse).describe('The recorded rates the answer used'),
  missing_rates: z.array(MissingRate),
});

const Group = z.strictObject({ key: z.string(), ...Totals, total_variance_percent: z.number() });
export const ByCategoryResponse = z.strictObject({ org_slug: z.string(), currency: z.string(), cost_basis: z.enum(['EffectiveCost', 'BilledCost']), categories: z.array(Group.extend({ category: z.string() }).omit({ key: true })) });
export const ByProviderResponse = z.strictObject({ org_slug: z.string(), currency: z.string(), cost_basis: z.enum(['EffectiveCost', 'BilledCost']), providers: z.array(Group.extend({ provider: z.string().describe('all = budgets of every provider') }).omit({ key: true })) });

const Percent = z.union([z.string(), z.number()]).transform((v) => String(v)).pipe(z.string().regex(/^\d{1,3}(\.\d{1,4})?$/, 'a percentage 0-100, at most 4 decimals').refine((s) => Number(s) > 0 && Number(s) <= 100, 'a percentage above 0, at most 100'));
export const AllocateBody = z.strictObject({
  parent_budget_id: z.string().min(1).max(64),
  allocations: z.array(z.strictObject({
    hierarchy_entity_id: EntityId,
    hierarchy_entity_name: z.string().max(200).nullable().optional(),
    hierarchy_path: z.string().max(1000).regex(/^(\/[A-Za-z0-9_-]+)+$/, 'hierarchy_path: /DEPT-X/PROJ-Y').nullable().optional(),
    hierarchy_level_code: z.string().max(50).nullable().optional(),
    percentage: Percent,
  })).min(1).max(100),
});
export const AllocateResponse = z.strictObject({ success: z.literal(true), parent: Budget, children: z.array(Budget), allocated_percent: z.number() });

export const TreeQuery = z.strictObject({ root_entity_id: EntityId.optional() });
const nodeFields = {
  budget_id: z.string(), hierarchy_entity_id: z.string().nullable(), hierarchy_entity_name: z.string().nullable(), hierarchy_path: z.string().nullable(), hierarchy_level_code: z.string().nullable(),
  category: CategoryZ, budget_amount: z.number(), allocated_to_children: z.number().describe('Sum of the children\'s amounts'), unallocated: z.number(), actual_amount: z.number(), variance: z.number(), currency: z.string(),
};
/** Nodes spelled out 6 levels deep (a recursive schema has no OpenAPI 2.0 form the gateway takes); deeper children are plain objects of the same fields. */
let level: z.ZodType = z.record(z.string(), z.unknown());
for (let i = 0; i < 6; i++) level = z.strictObject({ ...nodeFields, children: z.array(level) });
export const TreeNodeZ = level;
export const TreeResponse = z.strictObject({ org_slug: z.string(), roots: z.array(TreeNodeZ), total: z.number().int() });
