import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { configsDir } from '../../config.js';
import { readCsv } from '../../csv.js';
import type { Ctx } from '../../context/index.js';
import { decimalParam } from '../../warehouse/decimal.js';
import type { ProviderDef } from '../registry.js';
import { PRICING_TYPES, RESET_FREQUENCIES } from './model.js';
import { insertDefaultsUnlessSeeded, type PricingRow } from './store.js';

const FILE = 'llm/seed/llm_default_pricing.csv';

const empty = (s: string) => s.trim() === '';
const text = z.string().transform((s) => (empty(s) ? null : s));
const money = (required: boolean) => z.string().transform((s, c) => {
  if (empty(s)) {
    if (required) c.addIssue({ code: 'custom', message: 'is required' });
    return null;
  }
  try { return decimalParam(s, 'NUMERIC'); } catch (err) { c.addIssue({ code: 'custom', message: (err as Error).message }); return z.NEVER; }
});
const count = z.string().transform((s, c) => {
  if (empty(s)) return null;
  if (!/^\d+$/.test(s)) c.addIssue({ code: 'custom', message: 'must be a whole number' });
  return Number(s);
});
const bool = z.enum(['true', 'false']).transform((s) => s === 'true');
const choice = <T extends readonly [string, ...string[]]>(values: T) => z.union([z.literal(''), z.enum(values)]).transform((s) => (s === '' ? null : s));

/**
 * One line of the seed file, checked cell by cell: a shifted line (a value in the wrong column)
 * fails here, at the first use of the file in the tests, not as a wrong price in an org.
 */
const SeedLine = z.strictObject({
  pricing_id: z.string().min(1),
  provider: z.string().min(1),
  model_id: z.string().regex(/^[a-zA-Z0-9._-]{1,100}$/),
  model_name: text,
  is_custom: bool,
  input_price_per_1k: money(true),
  output_price_per_1k: money(true),
  effective_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  end_date: z.union([z.literal(''), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]).transform((s) => (s === '' ? null : s)),
  is_enabled: bool,
  x_gemini_context_window: text,
  x_gemini_region: text,
  x_anthropic_tier: text,
  x_openai_batch_input_price: money(false),
  x_openai_batch_output_price: money(false),
  pricing_type: choice(PRICING_TYPES),
  free_tier_input_tokens: count,
  free_tier_output_tokens: count,
  free_tier_reset_frequency: choice(RESET_FREQUENCIES),
  discount_percentage: money(false),
  discount_reason: text,
  volume_threshold_tokens: count,
  base_input_price_per_1k: money(false),
  base_output_price_per_1k: money(false),
});
type SeedLine = z.output<typeof SeedLine>;

let seedLines: SeedLine[] | undefined;

/** The seed file's lines, read and checked once per instance. */
export function seedFile(): SeedLine[] {
  if (!seedLines) {
    const problems: string[] = [];
    const lines = readCsv(join(configsDir(), FILE)).map((raw, i) => {
      const parsed = SeedLine.safeParse(raw);
      if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => `${FILE} line ${i + 2} (${raw.model_id}): ${issue.path.join('.')}: ${issue.message}`));
      return parsed.data!;
    });
    if (problems.length) throw new Error(problems.join('\n'));
    seedLines = lines;
  }
  return seedLines;
}

/**
 * A provider's default prices as new versions (fresh ids). `effectiveDate` replaces the file's
 * dates (a reset starts the defaults today); without it the file's dates stand (the first seed).
 */
export function defaultPricing(provider: ProviderDef, a: { effectiveDate?: string; now: Date }): PricingRow[] {
  if (!provider.pricing_seed) return [];
  const at = a.now.toISOString();
  return seedFile().filter((l) => l.provider === provider.pricing_seed).map((l): PricingRow => ({
    ...l,
    pricing_id: randomUUID(),
    provider: provider.canonical,
    model_name: l.model_name ?? l.model_id,
    input_price_per_1k: l.input_price_per_1k!,
    output_price_per_1k: l.output_price_per_1k!,
    currency: 'USD',
    effective_date: a.effectiveDate ?? l.effective_date,
    end_date: a.effectiveDate ? null : l.end_date,
    notes: null,
    pricing_type: l.pricing_type ?? 'standard',
    created_at: at,
    updated_at: at,
    revision: 0,
  }));
}

/**
 * Seeds the org's default prices for a provider (first VALID setup) unless it has default
 * prices for it already; one serialised statement (store.ts: insertDefaultsUnlessSeeded), so
 * concurrent setups seed once. Returns how many rows were added.
 */
export async function seedDefaultPricing(ctx: Pick<Ctx, 'warehouse'>, a: { datasetId: string; provider: ProviderDef; now: Date }): Promise<number> {
  const rows = defaultPricing(a.provider, { now: a.now });
  return insertDefaultsUnlessSeeded(ctx.warehouse, a.datasetId, a.provider.canonical, rows, a.now);
}
