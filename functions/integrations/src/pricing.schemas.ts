import { z } from 'zod';
import { Day } from '@cloudact/shared/integrations/days';
import { MoneyInput, PercentageInput } from '@cloudact/shared/integrations/money';
import { PRICING_TYPES, RESET_FREQUENCIES } from '@cloudact/shared/integrations/pricing/model';
import { CurrencyCode } from '@cloudact/shared/orgs/schemas';
import { fieldErrors, ValidationError } from '@cloudact/shared/errors';
import { ProviderParams } from './schemas.js';

/** LLM pricing: request and response bodies of /integrations/{org}/{provider}/pricing... (the web app's field names). */

const ModelId = z.string().regex(/^[a-zA-Z0-9._-]{1,100}$/, 'model_id must be 1-100 letters, digits, dots, dashes or underscores');

export const PricingParams = ProviderParams.extend({ model_id: ModelId });

/** The original refused its own default limit (500 > its maximum): here the default is inside the range. */
export const PricingListQuery = z.strictObject({
  is_enabled: z.stringbool().optional().describe('Only enabled (true) or disabled (false) models'),
  include_custom: z.stringbool().default(true).describe('Include models the org added (default true)'),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  as_of: Day.optional().describe('Prices in force on this day (YYYY-MM-DD); today (UTC) when absent'),
});

export const AsOfQuery = z.strictObject({ as_of: Day.optional().describe('The version in force on this day; today (UTC) when absent') });

const Tokens = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Every field a caller may set; the two price aliases are the web app's older names. */
const fields = {
  model_name: z.string().min(1).max(200).nullable().optional(),
  input_price_per_1k: MoneyInput.optional(),
  output_price_per_1k: MoneyInput.optional(),
  price_per_1k_input_tokens: MoneyInput.optional().describe('Another name of input_price_per_1k'),
  price_per_1k_output_tokens: MoneyInput.optional().describe('Another name of output_price_per_1k'),
  currency: CurrencyCode.optional().describe('Currency of the prices; USD when absent'),
  effective_date: Day.optional().describe('First day of this price; a later date than the current version\'s adds a version'),
  end_date: Day.nullable().optional(),
  is_enabled: z.boolean().optional(),
  is_custom: z.boolean().optional(),
  notes: z.string().max(1000).nullable().optional(),
  pricing_type: z.enum(PRICING_TYPES).optional(),
  free_tier_input_tokens: Tokens.nullable().optional(),
  free_tier_output_tokens: Tokens.nullable().optional(),
  free_tier_reset_frequency: z.enum(RESET_FREQUENCIES).nullable().optional(),
  discount_percentage: PercentageInput.nullable().optional(),
  discount_reason: z.string().max(200).nullable().optional(),
  volume_threshold_tokens: Tokens.nullable().optional(),
  base_input_price_per_1k: MoneyInput.nullable().optional(),
  base_output_price_per_1k: MoneyInput.nullable().optional(),
};

interface Aliased { input_price_per_1k?: string; output_price_per_1k?: string; price_per_1k_input_tokens?: string; price_per_1k_output_tokens?: string }

const oneName = (b: Aliased) => !(b.input_price_per_1k !== undefined && b.price_per_1k_input_tokens !== undefined)
  && !(b.output_price_per_1k !== undefined && b.price_per_1k_output_tokens !== undefined);
const ONE_NAME = 'Give each price once: input_price_per_1k or price_per_1k_input_tokens, output_price_per_1k or price_per_1k_output_tokens';

function unalias<T extends Aliased>({ price_per_1k_input_tokens, price_per_1k_output_tokens, ...rest }: T) {
  return { ...rest, input_price_per_1k: rest.input_price_per_1k ?? price_per_1k_input_tokens, output_price_per_1k: rest.output_price_per_1k ?? price_per_1k_output_tokens };
}

export const CreatePricingBody = z.strictObject({ model_id: ModelId, ...fields })
  .refine(oneName, ONE_NAME)
  .refine((b) => (b.input_price_per_1k ?? b.price_per_1k_input_tokens) !== undefined && (b.output_price_per_1k ?? b.price_per_1k_output_tokens) !== undefined, 'input_price_per_1k and output_price_per_1k are required')
  .transform((b) => {
    const out = unalias(b);
    return { ...out, input_price_per_1k: out.input_price_per_1k!, output_price_per_1k: out.output_price_per_1k! };
  });

/** The explicit consent a change needs to re-price days already reported (see planChange). */
const backdate = {
  backdate: z.boolean().optional().describe('Set to true to let this change re-price days already reported (an effective_date before today, a past end_date, a price corrected on a version that priced past days); without it such a change is refused (422). The change is audited as LLM_PRICING_BACKDATE with before and after'),
};

export const UpdatePricingBody = z.strictObject({ ...fields, ...backdate })
  .refine(oneName, ONE_NAME)
  .refine((b) => Object.entries(b).some(([k, v]) => k !== 'backdate' && v !== undefined), 'Give at least one field to change')
  .transform(unalias);

const BulkItem = z.strictObject({ model_id: ModelId, ...fields, ...backdate })
  .refine(oneName, ONE_NAME)
  .refine((b) => Object.entries(b).some(([k, v]) => k !== 'model_id' && k !== 'backdate' && v !== undefined), 'Give at least one field to change besides model_id')
  .transform(unalias);

/**
 * A malformed item is refused before anything is read, as every request part is; but the 422
 * names each failing item by its model_id beside its index (`detail`: "updates.1 (o1-mini):
 * output_price_per_1k: ..."), with the same field paths as any other 422. The refinement sees
 * the items' issues and throws the ValidationError itself (zod lets it through), since the
 * router's own message names paths only.
 */
function nameFailingItems(items: unknown[], ctx: { issues: readonly { path?: PropertyKey[] }[] }): void {
  const failing = [...new Set(ctx.issues.map((i) => i.path?.[0]).filter((i): i is number => typeof i === 'number'))].sort((a, b) => a - b);
  if (!failing.length) return;
  const fields: Record<string, string[]> = {};
  const named = failing.map((i) => {
    const raw = items[i];
    const id = raw && typeof raw === 'object' && typeof (raw as { model_id?: unknown }).model_id === 'string' ? (raw as { model_id: string }).model_id : undefined;
    const parsed = BulkItem.safeParse(raw);
    const own = parsed.success ? {} : fieldErrors(parsed.error.issues, `body.updates.${i}`);
    Object.assign(fields, own);
    return `updates.${i}${id ? ` (${id})` : ''}: ${Object.entries(own).map(([k, m]) => `${k.slice(`body.updates.${i}.`.length) || 'item'}: ${m.join('; ')}`).join(', ')}`;
  });
  throw new ValidationError(`Invalid request body: nothing was changed, ${failing.length} item(s) refused (${named.join(' | ')})`, fields);
}

export const BulkUpdatePricingBody = z.strictObject({
  updates: z.array(BulkItem).min(1).max(100).superRefine((items, ctx) => nameFailingItems(items, ctx)).describe('All applied, or none (422 naming each failing item by index and model_id)'),
});

// ---- Response bodies ----

const Money = z.number();

export const PricingEntry = z.strictObject({
  pricing_id: z.string().describe('This version\'s id'),
  provider: z.string(),
  model_id: z.string(),
  model_name: z.string().nullable(),
  is_custom: z.boolean(),
  input_price_per_1k: Money,
  output_price_per_1k: Money,
  currency: z.string(),
  effective_date: z.string().describe('First day this version is in force'),
  end_date: z.string().nullable().describe('Last day this version is in force; null while open'),
  is_enabled: z.boolean(),
  notes: z.string().nullable(),
  pricing_type: z.enum(PRICING_TYPES),
  free_tier_input_tokens: z.number().int().nullable(),
  free_tier_output_tokens: z.number().int().nullable(),
  free_tier_reset_frequency: z.enum(RESET_FREQUENCIES).nullable(),
  discount_percentage: Money.nullable(),
  discount_reason: z.string().nullable(),
  volume_threshold_tokens: z.number().int().nullable(),
  base_input_price_per_1k: Money.nullable(),
  base_output_price_per_1k: Money.nullable(),
  x_gemini_context_window: z.string().nullable(),
  x_gemini_region: z.string().nullable(),
  x_anthropic_tier: z.string().nullable(),
  x_openai_batch_input_price: Money.nullable(),
  x_openai_batch_output_price: Money.nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const PricingListResponse = z.strictObject({
  org_slug: z.string(),
  provider: z.string(),
  as_of: z.string().describe('The day whose prices these are'),
  pricing: z.array(PricingEntry),
  count: z.number().int(),
});

export const PricingHistoryResponse = z.strictObject({
  org_slug: z.string(),
  provider: z.string(),
  model_id: z.string(),
  versions: z.array(PricingEntry).describe('Oldest first'),
  count: z.number().int(),
});

export const BulkUpdatePricingResponse = z.strictObject({
  org_slug: z.string(),
  provider: z.string(),
  updated_count: z.number().int(),
  failed_count: z.number().int().describe('Always 0: a failing item refuses the whole request (422)'),
  errors: z.array(z.string()),
  pricing: z.array(PricingEntry).describe('Each updated model\'s new or changed version'),
});

/** DELETE answers 204 with no body. */
export const NoContent = z.undefined();
