import { randomUUID } from 'node:crypto';
import pl from 'nodejs-polars';
import type { Ctx } from '../../context/index.js';
import { listAuditRows, writeAudit, type AuditCtx } from '../../orgs/audit/store.js';
import { seedFile } from '../../integrations/pricing/seed.js';
import { enabledInForce } from '../../integrations/pricing/store.js';
import { listPlans } from '../../saas/plans/store.js';
import { addDays, localDate, startOfLocalDay } from '../../i18n/dates.js';
import { findProvider } from '../catalog.js';
import { COST_TABLE, deleteSeedRows, type SeedRows } from '../ledger/store.js';
import { SEED_ID_PREFIX, usageChunk, type LlmPrice } from './cloud-llm.js';
import { enterpriseChunk } from './enterprise.js';
import { defaultPlans, saasRecordId, saasRows, type SeedPlan } from './saas.js';

export interface SeedCostsInput {
  orgSlug: string;
  days: number;
  rowsPerDay: number;
  seed?: number;
  /** Last day seeded (the org's local date; default: today there). */
  end?: string;
  /** Usage rows generated and loaded per chunk (default CHUNK_ROWS): tests use small ones to stop a run half-way. */
  chunkRows?: number;
  /** `standard` (10 GCP services, 3 projects) or `enterprise` (a large billing export: enterprise.ts). */
  profile?: 'standard' | 'enterprise';
}

export interface SeedProgress { rows: number; total: number; day: string }

/** An earlier run that started and never completed (killed, or failed half-way). */
export interface UnfinishedSeedRun { run_id: string; started_at: string; from: string; to: string; rows_removed: number }

export interface SeedCostsResult {
  rows: number;
  days: number;
  from: string;
  to: string;
  dataset: string;
  run_id: string;
  /** Rows of earlier seeds in this run's range, replaced (a rerun: never copies). */
  replaced_rows: number;
  /** Earlier runs that never completed: their partial rows were removed before this run wrote its own. */
  unfinished_runs: UnfinishedSeedRun[];
}

/** Rows generated and loaded per chunk: bounded memory at any size. */
const CHUNK_ROWS = 500_000;
const LLM_SHARE = 0.2;
/** The enterprise profile: LLM rows are this share of usage, over this many models. */
const ENTERPRISE_LLM_SHARE = 0.1;
const ENTERPRISE_MODELS = 15;

/** The run markers, in the org's audit log: STARTED is written before any row, COMPLETED after the last. */
export const SEED_STARTED = 'COST_SEED_STARTED';
export const SEED_COMPLETED = 'COST_SEED_COMPLETED';
/** An unfinished run whose rows a later run removed (so it is reported once). */
export const SEED_ABANDONED = 'COST_SEED_ABANDONED';
/** How far back a run looks for unfinished ones (the audit log is partitioned by day). */
const MARKER_WINDOW_DAYS = 90;

/** What a run owns, as its STARTED marker records it: UTC days of usage, local days and plans of SaaS rows. */
interface SeedRange { usage_from: string; usage_to: string; saas_from: string; saas_to: string; first: string; end: string; subscriptions: string[] }

/**
 * Writes a realistic, deterministic ledger into the org's cost table: hourly GCP usage in USD
 * and EUR billing accounts, LLM usage per model priced from the org's pricing table (defaults
 * when it has none), and one SaaS row per plan per local day with the shared SaaS formula. The
 * same arguments give the same rows. Loaded in columnar chunks, never row by row.
 *
 * Rerunnable: a run first deletes what any seed wrote over its own range (usage rows by their
 * `seed-` id prefix over its UTC days, SaaS rows by their exact ids), so a rerun replaces rather
 * than appends; pipeline rows are never touched. A run is marked in the org's audit log: STARTED
 * (with its range) before it deletes or writes anything, COMPLETED after its last row. A run that
 * finds an earlier STARTED without COMPLETED (killed half-way) removes that run's partial rows,
 * marks it ABANDONED and reports it (`unfinished_runs`), then writes its own full set. One seed
 * of an org at a time (DuckDB has one writer anyway).
 */
export async function seedCosts(ctx: Pick<Ctx, 'warehouse' | 'profiles' | 'clock'>, input: SeedCostsInput, progress?: (p: SeedProgress) => void): Promise<SeedCostsResult> {
  const profile = await ctx.profiles.get(input.orgSlug);
  const dataset = profile.org_dataset_id;
  const tz = profile.default_timezone || 'UTC';
  const now = ctx.clock();
  const end = input.end ?? localDate(now, tz);
  const first = addDays(end, -(input.days - 1));
  const days = Array.from({ length: input.days }, (_, i) => addDays(first, i));
  const seed = input.seed ?? 42;
  const runId = randomUUID();
  const audit: AuditCtx = { warehouse: ctx.warehouse, clock: ctx.clock, actor: { kind: 'system', name: 'seed-costs' }, requestId: runId };
  const tenant = { orgSlug: input.orgSlug, orgId: profile.org_id };
  const mark = (action: string, details: Record<string, unknown>) => writeAudit(audit, { orgSlug: input.orgSlug, orgId: profile.org_id, action, resourceType: 'COST_SEED', resourceId: String(details.run_id), details });
  const [llm, ownPlans, earlier] = await Promise.all([llmPrices(ctx, dataset, end), orgPlans(ctx, dataset), unfinishedRuns(ctx.warehouse, tenant, now)]);
  const plans = ownPlans.length ? ownPlans : defaultPlans(profile.default_currency || 'USD', first);

  // Earlier runs that never completed: their range holds only their partial rows (each run
  // deletes its range before writing), so those go, and the run is marked ABANDONED.
  const unfinished: UnfinishedSeedRun[] = [];
  for (const r of earlier) {
    const removed = await deleteSeedRows(ctx.warehouse, dataset, seedRows(r.range));
    await mark(SEED_ABANDONED, { run_id: r.run_id, rows_removed: removed, by_run: runId });
    unfinished.push({ run_id: r.run_id, started_at: r.started_at, from: r.from, to: r.to, rows_removed: removed });
  }

  const saas = saasRows(plans, days, tz, now);
  const range: SeedRange = {
    usage_from: new Date(`${first}T00:00:00Z`).toISOString(), usage_to: new Date(`${addDays(end, 1)}T00:00:00Z`).toISOString(),
    saas_from: startOfLocalDay(first, tz).toISOString(), saas_to: startOfLocalDay(addDays(end, 1), tz).toISOString(),
    first, end, subscriptions: [...new Set(plans.map((p) => p.subscription_id))],
  };
  await mark(SEED_STARTED, { run_id: runId, from: first, to: end, days: input.days, rows_per_day: input.rowsPerDay, seed, range });
  const replaced = await deleteSeedRows(ctx.warehouse, dataset, seedRows(range));

  let written = 0;
  const saasPerDay = saas ? Math.ceil(saas.height / days.length) : 0;
  const usagePerDay = Math.max(0, input.rowsPerDay - saasPerDay);
  const total = usagePerDay * days.length + (saas?.height ?? 0);
  if (saas) written += await load(ctx, dataset, saas);
  progress?.({ rows: written, total, day: first });
  const chunkDays = Math.max(1, Math.floor((input.chunkRows ?? CHUNK_ROWS) / Math.max(1, usagePerDay)));
  const enterprise = input.profile === 'enterprise';
  // Enterprise: LLM rows (ids 0..) from the standard part, then the cloud rows and the account rows after them.
  const llmPerDay = enterprise ? Math.round(usagePerDay * ENTERPRISE_LLM_SHARE) : 0;
  const models = enterprise ? enterpriseModels(llm) : llm;
  for (let i = 0; i < days.length && usagePerDay > 0; i += chunkDays) {
    const slice = days.slice(i, i + chunkDays);
    const dayStartsMs = slice.map((d) => Date.parse(`${d}T00:00:00Z`));
    if (enterprise) {
      const llmFrame = usageChunk({ dayStartsMs, rowsPerDay: llmPerDay, llmShare: 1, llm: models, seed, firstRowId: i * llmPerDay, now });
      written += await load(ctx, dataset, llmFrame);
      written += await load(ctx, dataset, enterpriseChunk({ dayStartsMs, rowsPerDay: usagePerDay - llmPerDay, firstId: llmPerDay, seed, now }));
    } else {
      const frame = usageChunk({ dayStartsMs, rowsPerDay: usagePerDay, llmShare: LLM_SHARE, llm, seed, firstRowId: i * usagePerDay, now });
      written += await load(ctx, dataset, frame);
    }
    progress?.({ rows: written, total: enterprise ? total + 3 * days.length : total, day: slice[slice.length - 1]! });
  }
  await mark(SEED_COMPLETED, { run_id: runId, rows: written, replaced_rows: replaced });
  return { rows: written, days: days.length, from: first, to: end, dataset, run_id: runId, replaced_rows: replaced, unfinished_runs: unfinished };
}

function seedRows(r: SeedRange): SeedRows {
  const saasIds: string[] = [];
  for (let d = r.first; d <= r.end; d = addDays(d, 1)) for (const sub of r.subscriptions) saasIds.push(saasRecordId(sub, d));
  return { usagePrefix: SEED_ID_PREFIX, usageFromUtc: new Date(r.usage_from), usageToUtc: new Date(r.usage_to), saasIds, saasFromUtc: new Date(r.saas_from), saasToUtc: new Date(r.saas_to) };
}

/** STARTED markers of the last MARKER_WINDOW_DAYS without a COMPLETED or ABANDONED one, oldest first. */
async function unfinishedRuns(wh: Ctx['warehouse'], tenant: { orgSlug: string; orgId: string }, now: Date): Promise<{ run_id: string; started_at: string; from: string; to: string; range: SeedRange }[]> {
  const window = { tenant, from: new Date(now.getTime() - MARKER_WINDOW_DAYS * 86_400_000), to: new Date(now.getTime() + 86_400_000), limit: 1000, offset: 0 };
  const [started, completed, abandoned] = await Promise.all([SEED_STARTED, SEED_COMPLETED, SEED_ABANDONED].map((action) => listAuditRows(wh, { ...window, action })));
  const done = new Set([...completed!.rows, ...abandoned!.rows].map((r) => String(r.details?.run_id ?? r.resource_id)));
  return started!.rows
    .filter((r) => !done.has(String(r.details?.run_id ?? r.resource_id)) && r.details?.range)
    .map((r) => ({ run_id: String(r.details!.run_id), started_at: String(r.created_at), from: String(r.details!.from), to: String(r.details!.to), range: r.details!.range as SeedRange }))
    .sort((a, b) => (a.started_at < b.started_at ? -1 : 1));
}

async function load(ctx: Pick<Ctx, 'warehouse'>, dataset: string, frame: pl.DataFrame): Promise<number> {
  const data = frame.writeParquet({ compression: 'lz4' });
  return ctx.warehouse.loadColumnar(dataset, COST_TABLE, { format: 'parquet', data });
}

/** The org's enabled LLM prices; the shipped defaults (OpenAI, Anthropic, Gemini) when it has none. */
async function llmPrices(ctx: Pick<Ctx, 'warehouse'>, dataset: string, asOf: string): Promise<LlmPrice[]> {
  let rows: { provider: string; model_id: string; input: number; output: number; pricingId: string | null }[] = [];
  try {
    rows = (await enabledInForce(ctx.warehouse, dataset, asOf))
      .map((r) => ({ provider: r.provider, model_id: r.model_id, input: Number(r.input_price_per_1k), output: Number(r.output_price_per_1k), pricingId: r.pricing_id }));
  } catch {
    rows = [];
  }
  if (!rows.length) {
    rows = shippedPrices();
  }
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(`${r.provider}|${r.model_id}`) && seen.add(`${r.provider}|${r.model_id}`))
    .map((r) => ({ providerName: findProvider(r.provider)?.name ?? r.provider, model: r.model_id, inputPer1k: r.input, outputPer1k: r.output, pricingId: r.pricingId }));
}

async function orgPlans(ctx: Pick<Ctx, 'warehouse'>, dataset: string): Promise<SeedPlan[]> {
  try {
    return (await listPlans(ctx.warehouse, dataset)).map((p) => ({ ...p }));
  } catch {
    return [];
  }
}

/** 15 models for the enterprise profile: the org's own prices first, then the shipped defaults. */
function enterpriseModels(own: LlmPrice[]): LlmPrice[] {
  const all = [...own, ...shippedPrices().map((r) => ({ providerName: findProvider(r.provider)?.name ?? r.provider, model: r.model_id, inputPer1k: r.input, outputPer1k: r.output, pricingId: null }))];
  const seen = new Set<string>();
  return all.filter((p) => !seen.has(`${p.providerName}|${p.model}`) && seen.add(`${p.providerName}|${p.model}`)).slice(0, ENTERPRISE_MODELS);
}

/** The shipped default prices (the same checked seed file onboarding seeds from). */
function shippedPrices(): { provider: string; model_id: string; input: number; output: number; pricingId: null }[] {
  return seedFile().filter((l) => l.is_enabled).map((l) => ({ provider: l.provider, model_id: l.model_id, input: Number(l.input_price_per_1k), output: Number(l.output_price_per_1k), pricingId: null }));
}
