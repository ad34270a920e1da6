import { z } from 'zod';
import { Day } from '@cloudact/shared/integrations/days';
import { MoneyInput, PercentageInput } from '@cloudact/shared/integrations/money';
import { FLOWS, GENAI_PROVIDERS, STATUSES } from '@cloudact/shared/integrations/genai/flows';
import { CurrencyCode } from '@cloudact/shared/orgs/schemas';
import { OrgParams } from './schemas.js';

/** GenAI pricing: request and response bodies of /genai/{org}/pricing... (the original's field names). */

const Identifier = z.string().regex(/^[a-zA-Z0-9._:-]{1,100}$/, 'identifier must be 1-100 letters, digits, dots, colons, dashes or underscores');
const Region = z.string().regex(/^[a-z0-9-]{2,40}$/, 'region must be a region name such as global, eastus or us-central1');

export const GenaiProvider = z.enum(GENAI_PROVIDERS);
export const FlowParams = OrgParams.extend({ flow: z.enum(FLOWS) });
export const IdentifierParams = FlowParams.extend({ identifier: Identifier });

export const GenaiListQuery = z.strictObject({
  provider: GenaiProvider.optional(),
  include_inactive: z.stringbool().default(false).describe('Include deprecated and deleted prices'),
  limit: z.coerce.number().int().min(1).max(1000).default(500).describe('Per flow'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** Which provider × region a change of {identifier} targets (needed only when more than one has it). */
export const KeyQuery = z.strictObject({ provider: GenaiProvider.optional(), region: Region.optional() });
export const SeedQuery = z.strictObject({ flow: z.enum(FLOWS).optional().describe('One flow; all three when absent') });

const Count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Text = z.string().min(1).max(200);

/**
 * A custom price of any flow: the fields of all three, each optional here; the verb checks the
 * flow's required fields and refuses another flow's (422 naming the field).
 */
export const CreateFlowBody = z.strictObject({
  provider: GenaiProvider,
  region: Region.optional(),
  currency: CurrencyCode.optional().describe('Currency of the prices; USD (the providers\' list currency) when absent'),
  effective_from: Day.optional().describe('The org\'s today when absent; not before it'),
  effective_to: Day.nullable().optional(),
  status: z.enum(STATUSES).exclude(['deleted']).optional(),
  notes: z.string().max(1000).nullable().optional(),
  // payg
  model: Identifier.optional(), model_family: Text.nullable().optional(), model_version: Text.nullable().optional(),
  input_per_1m: MoneyInput.optional(), output_per_1m: MoneyInput.optional(),
  cached_input_per_1m: MoneyInput.nullable().optional(), cached_write_per_1m: MoneyInput.nullable().optional(),
  batch_input_per_1m: MoneyInput.nullable().optional(), batch_output_per_1m: MoneyInput.nullable().optional(),
  cached_discount_pct: PercentageInput.nullable().optional(), batch_discount_pct: PercentageInput.nullable().optional(),
  context_window: Count.nullable().optional(), max_output_tokens: Count.nullable().optional(),
  supports_vision: z.boolean().nullable().optional(), supports_streaming: z.boolean().nullable().optional(), supports_tools: z.boolean().nullable().optional(),
  rate_limit_rpm: Count.nullable().optional(), rate_limit_tpm: Count.nullable().optional(), sla_uptime_pct: PercentageInput.nullable().optional(),
  // commitment
  commitment_type: z.enum(['ptu', 'gsu', 'provisioned_throughput']).optional(), unit_name: Text.nullable().optional(),
  ptu_hourly_rate: MoneyInput.optional(), ptu_monthly_rate: MoneyInput.nullable().optional(),
  min_units: Count.nullable().optional(), max_units: Count.nullable().optional(), commitment_term_months: Count.nullable().optional(), tokens_per_unit_minute: Count.nullable().optional(),
  // infrastructure
  instance_type: Identifier.optional(), resource_type: z.enum(['gpu', 'tpu', 'inferentia', 'trainium']).optional(),
  gpu_type: Text.nullable().optional(), gpu_count: Count.nullable().optional(), gpu_memory_gb: Count.nullable().optional(), hourly_rate: MoneyInput.optional(),
  spot_discount_pct: PercentageInput.nullable().optional(), reserved_1yr_discount_pct: PercentageInput.nullable().optional(), reserved_3yr_discount_pct: PercentageInput.nullable().optional(),
  cloud_provider: z.enum(['gcp', 'aws', 'azure']).nullable().optional(),
});

export const OverrideBody = z.strictObject({
  override_value: MoneyInput.describe('The input price (payg, per 1M tokens), the hourly unit rate (commitment) or the hourly rate (infrastructure)'),
  override_output_value: MoneyInput.optional().describe('The output price (payg, per 1M) or the monthly unit rate (commitment)'),
  notes: z.string().max(1000).nullable().optional(),
  effective_from: Day.optional().describe('The org\'s today when absent; not before it'),
  expected_last_updated: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a timestamp (the last_updated you read)').optional()
    .describe('The last_updated you read: 409 when the price changed since'),
});

export const RemoveOverrideQuery = KeyQuery.extend({ expected_last_updated: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be a timestamp').optional() });

const N = z.number().nullable();
const S = z.string().nullable();

/** One price of any flow: these fields, plus the flow's own (payg: model, input_per_1m, output_per_1m, ...; commitment: model, ptu_hourly_rate, ...; infrastructure: instance_type, hourly_rate, ...). */
export const FlowEntry = z.looseObject({
  pricing_id: z.string(), flow: z.enum(FLOWS), provider: z.string(), region: z.string(),
  currency: z.string(), status: z.enum(STATUSES), is_custom: z.boolean(), is_override: z.boolean(),
  override_value: N, override_output_value: N, override_effective_from: S, list_price: N,
  effective_from: z.string(), effective_to: S, notes: S, last_updated: z.string(),
});

export const GenaiPricingList = z.strictObject({
  org_slug: z.string(), as_of: z.string(),
  payg: z.array(FlowEntry), commitment: z.array(FlowEntry), infrastructure: z.array(FlowEntry), total_count: z.number().int(),
});
export const FlowList = z.strictObject({ flow: z.enum(FLOWS), count: z.number().int(), total_count: z.number().int(), data: z.array(FlowEntry) });
export const SeedAnswer = z.strictObject({ org_slug: z.string(), seeded: z.record(z.string(), z.number().int()), total: z.number().int() });
export const NoContent = z.undefined();
