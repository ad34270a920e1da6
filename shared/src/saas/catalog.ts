import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError, configsDir } from '../config.js';
import { readCsv } from '../csv.js';
import { CURRENCY_CODES } from '../i18n/index.js';
import { BILLING_CYCLES, DISCOUNT_TYPES, PRICING_MODELS } from './cost.js';
import { JSON_EXACT_DIGITS, significantDigits } from './money.js';
import { readYamlFile } from '../yaml-file.js';

/**
 * The SaaS catalog: categories (configs/saas/categories.yml), provider display names
 * (configs/saas/providers.yml) and default plans (configs/saas/seed/data/saas_subscription_plans.csv).
 * Read and validated once per instance; shared/test/saas-catalog.test.ts loads it, so a bad row
 * fails the tests, never a request.
 */

/** A price as NUMERIC holds it: up to 9 fractional digits, never negative, never a float's spelling. */
export const PRICE_PATTERN = /^\d{1,20}(\.\d{1,9})?$/;
export const PROVIDER_PATTERN = /^[a-z0-9_]{2,50}$/;
export const PLAN_NAME_PATTERN = /^[a-zA-Z0-9_]{1,50}$/;

const Price = z.string().regex(PRICE_PATTERN, 'a decimal such as 25.00')
  .refine((v) => significantDigits(v) <= JSON_EXACT_DIGITS, `at most ${JSON_EXACT_DIGITS} significant digits (answered as an exact JSON number)`);
const blankToNull = (s: unknown) => (s === '' ? null : s);

const CatalogRowZ = (categories: readonly string[]) => z.strictObject({
  catalog_plan_id: z.string().regex(/^[a-z0-9_]{2,80}$/),
  provider: z.string().regex(PROVIDER_PATTERN),
  plan_name: z.string().regex(/^[A-Z0-9_]{1,50}$/, 'upper-case plan name'),
  display_name: z.string().min(1),
  category: z.string().refine((c) => categories.includes(c), `category must be one of categories.yml (${categories.join(', ')})`),
  billing_cycle: z.enum(BILLING_CYCLES),
  currency: z.enum(CURRENCY_CODES),
  pricing_model: z.enum(PRICING_MODELS),
  unit_price: Price,
  yearly_price: z.preprocess(blankToNull, Price.nullable()),
  seats: z.string().regex(/^\d{1,7}$/).transform(Number),
  discount_type: z.preprocess(blankToNull, z.enum(DISCOUNT_TYPES).nullable()),
  discount_value: z.preprocess(blankToNull, Price.nullable()),
  notes: z.preprocess(blankToNull, z.string().nullable()),
}).refine((r) => (r.discount_type === null) === (r.discount_value === null), 'discount_type and discount_value go together')
  .refine((r) => r.discount_type !== 'percent' || Number(r.discount_value) <= 100, 'a percent discount is at most 100');

export type CatalogPlan = z.output<ReturnType<typeof CatalogRowZ>>;

export interface CatalogProvider {
  provider: string;
  display_name: string;
  category: string;
  plans: readonly CatalogPlan[];
}

export interface SaasCatalog {
  categories: readonly string[];
  providers: readonly CatalogProvider[];
  find(provider: string): CatalogProvider | undefined;
}

const CategoriesZ = z.strictObject({ categories: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,40}$/)).min(1) })
  .refine((c) => c.categories.includes('other'), 'categories must include other (custom providers default to it)')
  .refine((c) => new Set(c.categories).size === c.categories.length, 'a category is listed twice');
const ProvidersZ = z.strictObject({ providers: z.record(z.string().regex(PROVIDER_PATTERN), z.string().min(1)) });

/** Reads and checks the catalog under `dir` (configs/ by default; tests pass a folder of their own). */
export function loadSaasCatalog(dir = configsDir()): SaasCatalog {
  const problems: string[] = [];
  const where = (file: string, issues: readonly z.core.$ZodIssue[]) => issues.map((i) => `${file}: ${i.path.join('.')}: ${i.message}`);
  const catFile = join(dir, 'saas/categories.yml');
  const cats = CategoriesZ.safeParse(readYamlFile(catFile));
  if (!cats.success) throw new ConfigError(where(catFile, cats.error.issues));
  const provFile = join(dir, 'saas/providers.yml');
  const names = ProvidersZ.safeParse(readYamlFile(provFile));
  if (!names.success) throw new ConfigError(where(provFile, names.error.issues));

  const csvFile = join(dir, 'saas/seed/data/saas_subscription_plans.csv');
  const rowZ = CatalogRowZ(cats.data.categories);
  const plans: CatalogPlan[] = [];
  readCsv(csvFile).forEach((raw, i) => {
    const row = rowZ.safeParse(raw);
    if (row.success) plans.push(row.data);
    else problems.push(...where(`${csvFile}:${i + 2}`, row.error.issues));
  });
  const seen = new Set<string>();
  for (const p of plans) {
    for (const key of [`id ${p.catalog_plan_id}`, `plan ${p.provider}/${p.plan_name}`]) {
      if (seen.has(key)) problems.push(`${csvFile}: ${key} is listed twice`);
      seen.add(key);
    }
  }
  const providers: CatalogProvider[] = [];
  for (const [provider, display_name] of Object.entries(names.data.providers)) {
    const own = plans.filter((p) => p.provider === provider);
    if (!own.length) problems.push(`${provFile}: ${provider} has no plans in the catalog`);
    const categories = new Set(own.map((p) => p.category));
    if (categories.size > 1) problems.push(`${csvFile}: ${provider}'s plans are in several categories (${[...categories].join(', ')})`);
    providers.push({ provider, display_name, category: own[0]?.category ?? 'other', plans: own });
  }
  for (const p of plans) if (!(p.provider in names.data.providers)) problems.push(`${csvFile}: provider ${p.provider} has no display name in ${provFile}`);
  if (problems.length) throw new ConfigError(problems);
  const byName = new Map(providers.map((p) => [p.provider, p]));
  return { categories: cats.data.categories, providers, find: (name) => byName.get(name) };
}

let cached: SaasCatalog | undefined;
/** The catalog of configs/, read on first use and kept for the instance's life. */
export function saasCatalog(): SaasCatalog {
  return (cached ??= loadSaasCatalog());
}
