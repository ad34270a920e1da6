import { z } from 'zod';
import { CURRENCY_CODES } from '@cloudact/shared/i18n';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';

export const OrgParams = z.strictObject({ org_slug: OrgSlug });

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe("A local date of the org (its timezone)");
const List = z.string().max(2000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** start_date, end_date (local dates; default: month to date), providers, service_categories, currency. */
export const CostQueryZ = z.strictObject({
  start_date: LocalDate.optional(),
  end_date: LocalDate.optional(),
  providers: List.optional().describe('Comma-separated provider slugs or names (gcp, openai, Slack ...)'),
  service_categories: List.optional().describe('Comma-separated FOCUS ServiceCategory values'),
  currency: z.enum(CURRENCY_CODES, { error: `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}` }).optional().describe("Report in this currency instead of the org's"),
});

export const RowsQueryZ = CostQueryZ.extend({
  limit: z.coerce.number().int().min(1, 'limit must be 1..10000').max(10_000, 'limit must be 1..10000').default(1000),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const TrendQueryZ = CostQueryZ.extend({
  granularity: z.enum(['daily', 'weekly', 'monthly']).default('daily'),
  days: z.coerce.number().int().min(1, 'days must be 1..365').max(365, 'days must be 1..365').optional().describe('The last N local days up to today (when start_date is not given)'),
});

const Pivotable = z.enum(['ProviderName', 'ServiceName', 'ServiceCategory', 'x_CostCategory', 'BillingCurrency', 'x_Model', 'RegionId', 'SubAccountId', 'BillingAccountId', 'ChargeCategory', 'ResourceType', 'PublisherName']);
export const PivotQueryZ = CostQueryZ.extend({
  rows: Pivotable,
  columns: z.union([z.enum(['day', 'week', 'month']), Pivotable]).default('month'),
  value: z.enum(['EffectiveCost', 'BilledCost']).default('EffectiveCost'),
});

export const ExportQueryZ = CostQueryZ.extend({
  format: z.enum(['csv', 'json', 'parquet', 'focus']).default('csv'),
});

// ---- Responses: the original envelope ----

const RateUseZ = z.strictObject({
  from: z.string(), to: z.string(), first_day: z.string(), last_day: z.string(),
  fixing_dates: z.strictObject({ first: z.string().nullable(), last: z.string().nullable(), count: z.number() }),
  min_rate: z.number().describe('Units of `to` per 1 `from`'), max_rate: z.number(),
  carried_forward: z.boolean().describe('Some days are after the newest fixing: its rate was carried forward'),
  approximation: z.boolean().describe('A rate without an official fixing (KWD), or before the oldest one'),
  newest_fixing: z.string().nullable(),
});

const Pagination = z.strictObject({ total: z.number(), limit: z.number(), offset: z.number(), has_more: z.boolean() });

export function envelopeOf<D extends z.ZodType, S extends z.ZodType>(data: D, summary: S) {
  return z.strictObject({
    success: z.literal(true),
    data,
    summary,
    pagination: Pagination.nullable(),
    cache_hit: z.boolean(),
    query_time_ms: z.number(),
    error: z.null(),
    currency: z.string(),
    timezone: z.string(),
    date_range: z.strictObject({ start_date: z.string(), end_date: z.string() }),
    exchange_rates: z.strictObject({ source: z.string(), rates: z.array(RateUseZ) }),
  });
}

const Money = z.number().describe("Rounded once to the currency's decimals");

export const SummaryResponse = envelopeOf(z.null(), z.strictObject({
  total_cost: Money, total_billed_cost: Money, total_effective_cost: Money, record_count: z.number(),
  min_date: z.string().nullable(), max_date: z.string().nullable(),
  providers: z.array(z.string()), service_categories: z.array(z.string()),
  breakdown_by_provider: z.array(z.strictObject({ provider: z.string(), total_cost: Money, record_count: z.number(), percentage: z.number() })),
  breakdown_by_category: z.array(z.strictObject({ category: z.string(), total_cost: Money, record_count: z.number(), percentage: z.number() })),
  daily_trend: z.array(z.strictObject({ date: z.string(), total_cost: Money })),
  top_services: z.array(z.strictObject({ service: z.string(), provider: z.string().nullable(), total_cost: Money, record_count: z.number() })),
  previous_period: z.strictObject({ start_date: z.string(), end_date: z.string(), total_cost: Money, delta: Money, percent_change: z.number().nullable() }),
  mtd_cost: Money, forecast_month_end: Money, forecast_method: z.string(),
}));

export const ByProviderResponse = envelopeOf(
  z.array(z.strictObject({ provider: z.string(), category: z.string(), total_cost: Money, total_billed_cost: Money, record_count: z.number(), percentage: z.number() })),
  z.strictObject({ total_cost: Money, provider_count: z.number() }),
);

export const ByServiceResponse = envelopeOf(
  z.array(z.strictObject({ service: z.string(), provider: z.string().nullable(), service_category: z.string().nullable(), total_cost: Money, total_billed_cost: Money, record_count: z.number(), percentage: z.number() })),
  z.strictObject({ total_cost: Money, service_count: z.number() }),
);

export const RowsResponse = envelopeOf(
  z.array(z.record(z.string(), z.unknown()).describe('A FOCUS 1.2 row; money as JSON numbers in BillingCurrency (not converted)')),
  z.strictObject({ record_count: z.number() }),
);

export const CacheStatsResponse = z.strictObject({
  success: z.literal(true), org_slug: z.string(), scope: z.literal('instance'),
  org_entries: z.number(), total_entries: z.number(), hits: z.number(), misses: z.number(), hit_rate: z.number(), ttl_seconds: z.number(), max_entries: z.number(),
});
export const CacheInvalidateResponse = z.strictObject({ success: z.literal(true), org_slug: z.string(), entries_removed: z.number() });
