import { z } from 'zod';
import { ForecastDetailsZ } from '@cloudact/shared/forecast/schema';
import { CURRENCY_CODES } from '@cloudact/shared/i18n';
import { OrgSlug } from '@cloudact/shared/orgs/schemas';
import { BILLING_CYCLES } from '@cloudact/shared/saas/cost';
import { GRANULAR_MAX_DAYS } from '@cloudact/shared/costs/views/trend';
import { DEFAULT_ROW_COLUMNS, LIMIT_MESSAGE, MAX_PAGE_LIMIT, MAX_PAGE_OFFSET, OFFSET_MESSAGE } from '@cloudact/shared/costs/views/rows';

export const OrgParams = z.strictObject({ org_slug: OrgSlug });

const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').describe("A local date of the org (its timezone)");
const EntityId = z.string().max(100);
const List = z.string().max(2000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

/** start_date, end_date (local dates; default: month to date), providers, service_categories, currency. */
export const CostQueryZ = z.strictObject({
  start_date: LocalDate.optional(),
  end_date: LocalDate.optional(),
  providers: List.optional().describe('Comma-separated provider slugs or names (gcp, openai, Slack ...)'),
  service_categories: List.optional().describe('Comma-separated FOCUS ServiceCategory values, or the web app\'s categories genai, cloud, subscription (x_CostCategory llm, cloud, saas); a row matches any of them'),
  currency: z.enum(CURRENCY_CODES, { error: `Unsupported currency; supported: ${CURRENCY_CODES.join(', ')}` }).optional().describe("Report in this currency instead of the org's"),
  hierarchy_entity_id: EntityId.optional().describe('Rows of this hierarchy entity or below it (DEPT-CIO, PROJ-CTO, TEAM-DATA)'),
  hierarchy_path: z.string().max(500).optional().describe('Rows at this hierarchy path or below it, by whole segments (/DEPT-1 never matches /DEPT-10)'),
  department_id: EntityId.optional().describe('Rows under this level-1 entity'),
  project_id: EntityId.optional().describe('Rows of this level-2 entity or below it'),
  team_id: EntityId.optional().describe('Rows of this level-3 entity'),
});

export const RowsQueryZ = CostQueryZ.extend({
  limit: z.coerce.number().int().min(1, LIMIT_MESSAGE).max(MAX_PAGE_LIMIT, LIMIT_MESSAGE).default(MAX_PAGE_LIMIT),
  offset: z.coerce.number().int().min(0).max(MAX_PAGE_OFFSET, OFFSET_MESSAGE).default(0).describe(`At most ${MAX_PAGE_OFFSET}; page deeper with cursor`),
  cursor: z.string().min(1).max(500).optional().describe('pagination.next_cursor of the previous page (keyset paging: any depth, each page one bounded scan)'),
  columns: List.optional().describe(`Comma-separated FOCUS columns, or * for all; default: ${DEFAULT_ROW_COLUMNS.join(', ')}`),
  include_total: z.enum(['true', 'false'], { error: 'include_total must be true or false' }).transform((v) => v === 'true').optional()
    .describe('Count pagination.total (a second scan). Default: true with offset paging (the web app shows it), false with a cursor'),
});

const WebCategory = z.enum(['genai', 'cloud', 'subscription', 'llm', 'saas']);

export const TrendQueryZ = CostQueryZ.extend({
  granularity: z.enum(['daily', 'weekly', 'monthly']).default('daily'),
  category: WebCategory.optional().describe('Only this cost category (the web app\'s genai, cloud, subscription; or llm, saas)'),
  days: z.coerce.number().int().min(1, 'days must be 1..365').max(365, 'days must be 1..365').optional().describe('The last N local days up to today (when start_date is not given)'),
});

export const GranularQueryZ = CostQueryZ.extend({
  days: z.coerce.number().int().min(1, `days must be 1..${GRANULAR_MAX_DAYS}`).max(GRANULAR_MAX_DAYS, `days must be 1..${GRANULAR_MAX_DAYS}`).default(365)
    .describe('The last N local days up to end_date (default today), unless both start_date and end_date are given'),
  clear_cache: z.enum(['true', 'false']).optional().transform((v) => v === 'true').describe("true: computed anew, replacing this instance's cached answer"),
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

const Names = z.union([z.array(z.string().max(200)).max(200), List]);

/** POST /costs/{org}/exports: what to export (the same range and filters as the views, in a body). */
export const ExportJobBody = z.strictObject({
  format: z.enum(['csv', 'parquet', 'focus'], { error: 'format must be csv, parquet or focus' }).describe('csv (for spreadsheets: formula-like cells get a leading apostrophe), parquet, or focus (FOCUS 1.2 CSV, raw)'),
  start_date: LocalDate.optional(),
  end_date: LocalDate.optional(),
  columns: Names.optional().describe('FOCUS columns to export (an array or a comma-separated list; default all; focus always exports all)'),
  providers: Names.optional(),
  service_categories: Names.optional(),
  hierarchy_entity_id: EntityId.optional(),
  hierarchy_path: z.string().max(500).optional(),
  department_id: EntityId.optional(),
  project_id: EntityId.optional(),
  team_id: EntityId.optional(),
});
export const ExportParams = z.strictObject({ org_slug: OrgSlug, export_id: z.string().regex(/^[0-9a-f-]{36}$/, 'export_id is the id POST .../exports answered') });
export const DownloadQuery = z.strictObject({ token: z.string().min(1).max(2000) });

export const ExportJobResponse = z.strictObject({
  success: z.literal(true),
  export_id: z.string(),
  org_slug: z.string(),
  status: z.enum(['RUNNING', 'DONE', 'FAILED']),
  format: z.enum(['csv', 'parquet', 'focus']),
  start_date: z.string(), end_date: z.string(), timezone: z.string(),
  columns: z.array(z.string()),
  filters: z.record(z.string(), z.unknown()),
  rows: z.number().describe('Rows counted when the job started'),
  created_at: z.string(),
  finished_at: z.string().nullable(),
  error: z.string().nullable(),
  files: z.array(z.strictObject({ name: z.string(), bytes: z.number().nullable(), download_url: z.string() })).describe('When DONE: every file (BigQuery shards large exports), each with a time-limited URL that needs no API key'),
  download_url: z.string().nullable().describe('The URL of the only file, when there is one'),
  expires_at: z.string().nullable(),
  status_url: z.string(),
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

const MissingRateZ = z.strictObject({
  currency: z.string().describe('A billing currency without any rate (neither the shipped reference nor an operator row)'),
  to: z.string(),
  amount: z.number().describe('EffectiveCost of the rows left out, in `currency` (not converted)'),
  billed_amount: z.number().describe('BilledCost of the rows left out, in `currency`'),
  record_count: z.number(), first_day: z.string(), last_day: z.string(),
});

const Pagination = z.strictObject({
  total: z.number().nullable().describe('The rows of the range and filters; null on a keyset page unless include_total=true (counting is a second scan)'),
  limit: z.number(), offset: z.number(), has_more: z.boolean(),
  next_cursor: z.string().nullable().optional().describe('Send as cursor= for the page after this one (opaque; null on the last page)'),
});

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
    date_range: z.strictObject({ start_date: z.string(), end_date: z.string(), start: z.string().describe('= start_date (the later web app reads start/end)'), end: z.string() }),
    exchange_rates: z.strictObject({
      source: z.string(), rates: z.array(RateUseZ),
      missing: z.array(MissingRateZ).describe('Billing currencies without a rate: their rows are left out of every total until POST /api/v1/admin/exchange-rates loads one'),
    }),
  });
}

const Money = z.number().describe("Rounded once to the currency's decimals");
const LocalRange = z.strictObject({ start: z.string(), end: z.string() }).describe('The local dates answered');
/** What the web app's CostSummary (CostDataResponse.summary) reads of a view's summary. */
const CostSummaryParts = {
  total_billed_cost: Money, record_count: z.number(), providers: z.array(z.string()), service_categories: z.array(z.string()), date_range: LocalRange,
};
const LocalInstant = z.string().describe("ISO 8601 with the org's offset then (2026-03-01T00:00:00-05:00): its date part is the local date");

export const SummaryResponse = envelopeOf(z.null(), z.strictObject({
  total_cost: Money, total_billed_cost: Money, total_effective_cost: Money, record_count: z.number(),
  min_date: z.string().nullable(), max_date: z.string().nullable(),
  providers: z.array(z.string()), service_categories: z.array(z.string()),
  breakdown_by_provider: z.array(z.strictObject({ provider: z.string(), total_cost: Money, record_count: z.number(), percentage: z.number() })),
  breakdown_by_category: z.array(z.strictObject({ category: z.string(), total_cost: Money, record_count: z.number(), percentage: z.number() })),
  daily_trend: z.array(z.strictObject({ date: z.string(), total_cost: Money })),
  top_services: z.array(z.strictObject({ service: z.string(), provider: z.string().nullable(), total_cost: Money, record_count: z.number() })),
  previous_period: z.strictObject({ start_date: z.string(), end_date: z.string(), total_cost: Money, delta: Money, percent_change: z.number().nullable() }),
  mtd_cost: Money, forecast_month_end: Money.describe('Median forecast of the org\'s local month: month to date + SaaS plans ahead (exact) + usage median'), forecast_method: z.string(),
  forecast: ForecastDetailsZ.extend({ exhaustion_date: z.string().nullable().describe('Null here: no budget (the budgets summary answers it per budget)') }).describe('How forecast_month_end was made and how accurate it has been on this scope'),
}));

export const ByHierarchyQueryZ = CostQueryZ.extend({
  level_code: z.string().regex(/^[a-z][a-z0-9_]{1,29}$/, 'level_code is a level code such as c_suite, business_unit, function').optional()
    .describe("The level whose entities to answer (default: the top level); each rolls up its subtree"),
});

const Share = z.strictObject({ total_cost: z.number(), record_count: z.number(), percentage: z.number() });
export const ByHierarchyResponse = envelopeOf(
  z.array(z.strictObject({
    entity_id: z.string(), entity_name: z.string(), level: z.number(), level_code: z.string(), parent_id: z.string().nullable(),
    path: z.string(), path_names: z.array(z.string()),
    total_cost: z.number().describe('The entity and everything below it (the current tree)'),
    direct_cost: z.number().describe('Rows allocated to the entity itself'),
    total_billed_cost: z.number(), record_count: z.number(), percentage: z.number(),
  })),
  z.strictObject({
    total_cost: z.number(), level_code: z.string().nullable(), entity_count: z.number(),
    allocated_above_level: Share.describe('Rows allocated to an entity above the level asked'),
    unallocated: Share.describe('Rows of no entity'),
  }),
);

export const ByProviderResponse = envelopeOf(
  z.array(z.strictObject({ provider: z.string(), category: z.string(), total_cost: Money, total_billed_cost: Money, record_count: z.number(), percentage: z.number() })),
  z.strictObject({ total_cost: Money, provider_count: z.number() }),
);

export const ByServiceResponse = envelopeOf(
  z.array(z.strictObject({ service: z.string(), service_name: z.string().describe('= service (the web app\'s name)'), provider: z.string().nullable(), service_category: z.string().nullable(), total_cost: Money, total_billed_cost: Money, record_count: z.number(), percentage: z.number() })),
  z.strictObject({ total_cost: Money, service_count: z.number(), ...CostSummaryParts }),
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

export const TrendResponse = envelopeOf(
  z.array(z.strictObject({
    period: z.string().describe('The local day, the Monday of the ISO week, or YYYY-MM'),
    date: z.string().describe("The period's first local day (the web app reads `date`)"),
    start_date: z.string(), end_date: z.string().describe('The period cut to the requested range'),
    total_cost: Money, total_billed_cost: Money, record_count: z.number(),
    total_effective_cost: Money.describe('= total_cost (the earlier web app reads it)'), providers: z.array(z.string()).describe('Providers with rows in the period'),
  })),
  z.strictObject({ granularity: z.enum(['daily', 'weekly', 'monthly']), total_cost: Money, period_count: z.number(), average_per_period: Money }),
);

export const LlmResponse = envelopeOf(
  z.array(z.strictObject({
    provider: z.string(), model: z.string(), total_cost: Money, total_billed_cost: Money,
    input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number(),
    cost_per_1k_tokens: z.number().nullable().describe('Reporting currency per 1,000 tokens (input and output), 6 decimals'),
    record_count: z.number(), percentage: z.number(),
    // The FOCUS fields the web app's cost table shows (CostRecord), for this provider and model over the range.
    ServiceProviderName: z.string(), ProviderName: z.string(), ServiceName: z.string(), ServiceCategory: z.string(), ServiceSubcategory: z.string().nullable(),
    ChargePeriodStart: LocalInstant.describe('The first local day with rows in the range'), ChargePeriodEnd: LocalInstant.describe('The end (exclusive) of the last local day with rows'),
    BilledCost: Money, EffectiveCost: Money, ListCost: Money, Savings: Money.describe('BilledCost - EffectiveCost'), BillingCurrency: z.string().describe('The reporting currency'),
    MonthlyRunRate: Money.describe("The range's cost per local day × days in the month of end_date"), AnnualRunRate: Money.describe('… × days in that year'),
  })),
  z.strictObject({
    total_cost: Money, model_count: z.number(), provider_count: z.number(),
    input_tokens: z.number(), output_tokens: z.number(), total_tokens: z.number(), cost_per_1k_tokens: z.number().nullable(),
    ...CostSummaryParts,
  }),
);

export const SaasResponse = envelopeOf(
  z.array(z.strictObject({
    SubscriptionId: z.string(), Provider: z.string().describe('Provider slug (the web app filters on it)'), ProviderName: z.string(),
    ServiceName: z.string().nullable(), PlanName: z.string().nullable(), DisplayName: z.string().nullable(),
    BillingCurrency: z.string(), Seats: z.number().nullable(), BillingCycle: z.enum(BILLING_CYCLES).nullable(),
    EffectiveCost: Money.describe('The period\'s cost in the reporting currency'), BilledCost: Money, DailyCost: Money,
    MonthlyRunRate: Money, AnnualRunRate: Money,
    run_rate_source: z.enum(['plan', 'ledger']).describe('plan: the SaaS formula on the plan version; ledger: the latest daily cost × days of its month/year'),
    is_active: z.boolean(), first_day: z.string().nullable(), last_day: z.string().nullable(), record_count: z.number(),
    ServiceCategory: z.string().describe('FOCUS ServiceCategory of its latest row'),
    ChargePeriodStart: LocalInstant.nullable().describe('first_day\'s start'), ChargePeriodEnd: LocalInstant.nullable().describe('The end (exclusive) of last_day'),
  })),
  z.strictObject({
    total_cost: Money, subscription_count: z.number(),
    total_daily_cost: Money, daily_cost_date: z.string().nullable(), total_monthly_cost: Money, total_annual_cost: Money,
    mtd_cost: Money, ytd_cost: Money, forecast_monthly_cost: Money, forecast_annual_cost: Money, forecast_method: z.string(),
    ...CostSummaryParts,
  }),
);

const RunRates = {
  total_daily_cost: Money.describe("Month-to-date cost of the org's local month / local days elapsed (today included)"),
  total_monthly_cost: Money.describe('total_daily_cost × days in the month'),
  total_annual_cost: Money.describe('total_daily_cost × days in the year'),
};
const CategoryTotal = z.strictObject({
  total_cost: Money, total_billed_cost: Money, total_effective_cost: Money, record_count: z.number(), provider_count: z.number(), providers: z.array(z.string()), percentage: z.number(),
  mtd_cost: Money.describe("The category's month to date (the org's local month up to today, whatever the range)"), ...RunRates,
});
const TotalParts = {
  saas: CategoryTotal, cloud: CategoryTotal, llm: CategoryTotal,
  subscription: CategoryTotal.describe('= saas (the later web app\'s name)'), genai: CategoryTotal.describe('= llm (the later web app\'s name)'),
  total: z.strictObject({ total_cost: Money, total_billed_cost: Money, record_count: z.number(), mtd_cost: Money, ...RunRates }),
};
export const TotalResponse = envelopeOf(z.null(), z.strictObject({ ...TotalParts, uncategorized: CategoryTotal.optional() })).extend(TotalParts);

const HierarchyOption = z.strictObject({ id: z.string(), name: z.string(), path: z.string() });
export const GranularResponse = envelopeOf(
  z.array(z.strictObject({
    date: z.string().describe("The org's local day"), provider: z.string(), category: z.enum(['genai', 'cloud', 'subscription', 'other']),
    total_cost: Money.describe('EffectiveCost in the reporting currency; the rows add up to summary.total_cost'), record_count: z.number(),
    hierarchy_entity_id: z.string().nullable(), hierarchy_entity_name: z.string().nullable(), hierarchy_level_code: z.string().nullable(),
    hierarchy_path: z.string().nullable(), hierarchy_path_names: z.string().nullable().describe("Names along the path, root first, joined by ' > '"),
  })).describe('One row per local day × provider × category × hierarchy entity, sorted by date'),
  z.strictObject({
    total_cost: Money, record_count: z.number(), granular_rows: z.number(), date_range: LocalRange,
    available_filters: z.strictObject({
      providers: z.array(z.string()), categories: z.array(z.string()),
      departments: z.array(HierarchyOption).describe('Level-1 entities the rows\' paths pass through'), projects: z.array(HierarchyOption), teams: z.array(HierarchyOption),
    }),
  }),
);

export const PivotResponse = envelopeOf(
  z.array(z.strictObject({ key: z.string(), values: z.array(Money).describe('One per column, in `summary.columns` order'), total: Money })),
  z.strictObject({
    rows: z.string(), columns_by: z.string(), value: z.enum(['EffectiveCost', 'BilledCost']),
    columns: z.array(z.string()), column_totals: z.array(Money), total: Money, row_count: z.number(), column_count: z.number(),
  }),
);

export const FocusMetadataResponse = z.strictObject({
  DataGenerator: z.strictObject({ DataGenerator: z.string() }),
  Schema: z.strictObject({
    SchemaId: z.string(), FocusVersion: z.string(), CreationDate: z.string().describe('UTC, YYYY-MM-DDTHH:mm:ssZ'),
    ColumnDefinition: z.array(z.object({ ColumnName: z.string(), DataType: z.enum(['STRING', 'DECIMAL', 'DATETIME', 'JSON']) }).catchall(z.union([z.string(), z.number()]))),
  }),
});
