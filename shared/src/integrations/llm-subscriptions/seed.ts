import { join } from 'node:path';
import { z } from 'zod';
import { configsDir } from '../../config.js';
import { decimalParam } from '../../warehouse/decimal.js';
import type { ProviderDef } from '../registry.js';
import { readCsv } from '../../csv.js';
import { BILLING_PERIODS, newSubscriptionRow, TIER_TYPES } from './model.js';
import type { SubscriptionRow } from './store.js';

const FILE = 'llm/seed/llm_default_subscriptions.csv';

const SeedLine = z.strictObject({
  provider: z.string().min(1),
  plan_name: z.string().regex(/^[a-zA-Z0-9_]{1,50}$/),
  tier_type: z.enum(TIER_TYPES),
  billing_period: z.enum(BILLING_PERIODS),
  quantity: z.string().regex(/^\d+$/).transform(Number),
  unit_price: z.string().transform((s) => decimalParam(s, 'NUMERIC')),
  notes: z.string(),
});

let lines: z.output<typeof SeedLine>[] | undefined;

/** configs/llm/seed/llm_default_subscriptions.csv, read and checked once per instance (a bad line fails the tests). */
function seedFile(): z.output<typeof SeedLine>[] {
  return (lines ??= readCsv(join(configsDir(), FILE)).map((raw, i) => {
    const parsed = SeedLine.safeParse(raw);
    if (!parsed.success) throw new Error(`${FILE} line ${i + 2}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data;
  }));
}

/** The provider's default plans (keyed like its pricing seed), starting today, in the org's currency. */
export function defaultSubscriptions(provider: ProviderDef, a: { currency: string; today: string; now: Date }): SubscriptionRow[] {
  if (!provider.pricing_seed) return [];
  return seedFile().filter((l) => l.provider === provider.pricing_seed).map((l) => newSubscriptionRow(provider.canonical, { ...l, is_custom: false }, a));
}
