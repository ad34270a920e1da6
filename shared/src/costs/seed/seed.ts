import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { seedFile } from '../../integrations/pricing/seed.js';
import { enabledInForce } from '../../integrations/pricing/store.js';
import { listPlans } from '../../saas/plans/store.js';
import { addDays, localDate } from '../../i18n/dates.js';
import { findProvider } from '../catalog.js';
import { COST_TABLE } from '../ledger/store.js';
import { usageChunk, type LlmPrice } from './cloud-llm.js';
import { defaultPlans, saasRows, type SeedPlan } from './saas.js';

export interface SeedCostsInput {
  orgSlug: string;
  days: number;
  rowsPerDay: number;
  seed?: number;
  /** Last day seeded (the org's local date; default: today there). */
  end?: string;
}

export interface SeedProgress { rows: number; total: number; day: string }

/** Rows generated and loaded per chunk: bounded memory at any size. */
const CHUNK_ROWS = 500_000;
const LLM_SHARE = 0.2;

/**
 * Writes a realistic, deterministic ledger into the org's cost table: hourly GCP usage in USD
 * and EUR billing accounts, LLM usage per model priced from the org's pricing table (defaults
 * when it has none), and one SaaS row per plan per local day with the shared SaaS formula. The
 * same arguments give the same rows. Loaded in columnar chunks, never row by row.
 */
export async function seedCosts(ctx: Pick<Ctx, 'warehouse' | 'profiles' | 'clock'>, input: SeedCostsInput, progress?: (p: SeedProgress) => void): Promise<{ rows: number; days: number; from: string; to: string; dataset: string }> {
  const profile = await ctx.profiles.get(input.orgSlug);
  const dataset = profile.org_dataset_id;
  const tz = profile.default_timezone || 'UTC';
  const now = ctx.clock();
  const end = input.end ?? localDate(now, tz);
  const first = addDays(end, -(input.days - 1));
  const days = Array.from({ length: input.days }, (_, i) => addDays(first, i));
  const seed = input.seed ?? 42;
  const [llm, ownPlans] = await Promise.all([llmPrices(ctx, dataset, end), orgPlans(ctx, dataset)]);
  const plans = ownPlans.length ? ownPlans : defaultPlans(profile.default_currency || 'USD', first);

  let written = 0;
  const saas = saasRows(plans, days, tz, now);
  const saasPerDay = saas ? Math.ceil(saas.height / days.length) : 0;
  const usagePerDay = Math.max(0, input.rowsPerDay - saasPerDay);
  const total = usagePerDay * days.length + (saas?.height ?? 0);
  if (saas) written += await load(ctx, dataset, saas);
  progress?.({ rows: written, total, day: first });
  const chunkDays = Math.max(1, Math.floor(CHUNK_ROWS / Math.max(1, usagePerDay)));
  for (let i = 0; i < days.length && usagePerDay > 0; i += chunkDays) {
    const slice = days.slice(i, i + chunkDays);
    const frame = usageChunk({ dayStartsMs: slice.map((d) => Date.parse(`${d}T00:00:00Z`)), rowsPerDay: usagePerDay, llmShare: LLM_SHARE, llm, seed, firstRowId: i * usagePerDay, now });
    written += await load(ctx, dataset, frame);
    progress?.({ rows: written, total, day: slice[slice.length - 1]! });
  }
  return { rows: written, days: days.length, from: first, to: end, dataset };
}

async function load(ctx: Pick<Ctx, 'warehouse'>, dataset: string, frame: pl.DataFrame): Promise<number> {
  const data = frame.writeParquet({ compression: 'lz4' });
  return ctx.warehouse.loadColumnar(dataset, COST_TABLE, { format: 'parquet', data });
}

/** The org's enabled LLM prices; the shipped defaults (OpenAI, Anthropic, Gemini) when it has none. */
async function llmPrices(ctx: Pick<Ctx, 'warehouse'>, dataset: string, asOf: string): Promise<LlmPrice[]> {
  let rows: { provider: string; model_id: string; input: number; output: number }[] = [];
  try {
    rows = (await enabledInForce(ctx.warehouse, dataset, asOf))
      .map((r) => ({ provider: r.provider, model_id: r.model_id, input: Number(r.input_price_per_1k), output: Number(r.output_price_per_1k) }));
  } catch {
    rows = [];
  }
  if (!rows.length) {
    rows = shippedPrices();
  }
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.provider}|${r.model_id}`) && seen.add(`${r.provider}|${r.model_id}`))
    .map((r) => ({ providerName: findProvider(r.provider)?.name ?? r.provider, model: r.model_id, inputPer1k: r.input, outputPer1k: r.output }));
}

async function orgPlans(ctx: Pick<Ctx, 'warehouse'>, dataset: string): Promise<SeedPlan[]> {
  try {
    return (await listPlans(ctx.warehouse, dataset)).map((p) => ({ ...p }));
  } catch {
    return [];
  }
}

/** configs/llm/seed/llm_default_pricing.csv (plain CSV, no quoted commas): the prices onboarding seeds. */
/** The shipped default prices (the same checked seed file onboarding seeds from). */
function shippedPrices(): { provider: string; model_id: string; input: number; output: number }[] {
  return seedFile().filter((l) => l.is_enabled).map((l) => ({ provider: l.provider, model_id: l.model_id, input: Number(l.input_price_per_1k), output: Number(l.output_price_per_1k) }));
}
