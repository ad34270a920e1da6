import { z } from 'zod';
import { CURRENCY_CODES } from '@cloudact/shared/i18n';

/** GET /genai/{org}/usage, /costs, /costs/summary: the cost routes' filters (local dates of the org). */

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe('A local date of the org (its timezone)');
const EntityId = z.string().max(100);
const List = z.string().max(2000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

export const GenaiCostQuery = z.strictObject({
  start_date: LocalDate.optional().describe('Default: the first of the org\'s current month'),
  end_date: LocalDate.optional().describe('Default: the org\'s today'),
  providers: List.optional().describe('Comma-separated provider slugs or names (openai, anthropic ...)'),
  currency: z.enum(CURRENCY_CODES, { error: `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}` }).optional().describe("Report in this currency instead of the org's"),
  hierarchy_entity_id: EntityId.optional().describe('Rows of this hierarchy entity or below it'),
  hierarchy_path: z.string().max(500).optional().describe('Rows at this hierarchy path or below it'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const GenaiSummaryQuery = GenaiCostQuery.omit({ limit: true, offset: true }).extend({
  include_models: z.stringbool().default(false).describe('Add by_model'),
});

const Envelope = {
  success: z.literal(true), cache_hit: z.boolean(), query_time_ms: z.number(), error: z.null(), currency: z.string(), timezone: z.string(),
  date_range: z.strictObject({ start_date: z.string(), end_date: z.string(), start: z.string(), end: z.string() }),
  exchange_rates: z.looseObject({ source: z.string(), rates: z.array(z.unknown()), missing: z.array(z.unknown()) }),
};
const Pagination = z.strictObject({ total: z.number().int().nullable(), limit: z.number().int(), offset: z.number().int(), has_more: z.boolean(), next_cursor: z.string().nullable().optional() });

const N = z.number().nullable();
const S = z.string().nullable();
const UsageRow = {
  date: z.string(), cost_type: z.enum(['payg', 'commitment', 'infrastructure']), provider: z.string(), model: S, region: z.string(),
  input_tokens: N, output_tokens: N, total_tokens: N, ptu_units: N, gpu_hours: N, usage_unit: S, request_count: z.number(),
  pricing_id: S.describe('The price version the row was priced with (null: the provider\'s own cost)'), cost_source: z.enum(['provider', 'estimated']),
  x_hierarchy_entity_id: S, x_hierarchy_entity_name: S, x_hierarchy_level_code: S, x_hierarchy_path: S, x_hierarchy_path_names: S,
};

export const GenaiUsageAnswer = z.strictObject({
  ...Envelope, pagination: Pagination.nullable(), data: z.array(z.strictObject(UsageRow)),
  summary: z.strictObject({ input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number(), ptu_units: z.number(), gpu_hours: z.number(), request_count: z.number(), row_count: z.number().int() }),
});

export const GenaiCostsAnswer = z.strictObject({
  ...Envelope, pagination: Pagination.nullable(),
  data: z.array(z.strictObject({ ...UsageRow, cost_date: z.string(), total_cost: z.number(), billed_cost: z.number(), currency: z.string() })),
  summary: z.strictObject({ total_cost: z.number(), row_count: z.number().int(), estimated_cost: z.number(), provider_cost: z.number() }),
});

const Share = { total_cost: z.number(), record_count: z.number(), percentage: z.number(), input_tokens: z.number(), output_tokens: z.number() };
export const GenaiSummaryAnswer = z.strictObject({
  ...Envelope, pagination: Pagination.nullable(),
  data: z.strictObject({
    total_cost: z.number(), currency: z.string(),
    by_provider: z.array(z.strictObject({ provider: z.string(), ...Share })),
    by_cost_type: z.array(z.strictObject({ cost_type: z.string(), ...Share })),
    by_source: z.array(z.strictObject({ cost_source: z.string(), ...Share })),
    by_model: z.array(z.strictObject({ provider: z.string(), model: z.string(), ...Share })).optional(),
  }),
  summary: z.strictObject({ total_cost: z.number(), provider_count: z.number().int(), model_count: z.number().int(), input_tokens: z.number(), output_tokens: z.number() }),
});
