import { z } from 'zod';
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
