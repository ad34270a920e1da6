import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { seedDefaultPricing } from '@cloudact/shared/integrations/pricing/seed';
import { routes } from '../src/routes.js';
import { referenceEngine } from '../../../shared/test/support/duck-reference.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * GET /genai/{org}/usage, /costs, /costs/summary on seeded LLM usage of an org in Kolkata
 * reporting in INR (the ledger is in USD), each recomputed from the raw rows by an independent
 * DuckDB (its own timezone() and ASOF joins on the ECB file): totals agree to the paisa, tokens
 * exactly, and every row names the price version it was estimated with.
 */
const ORG = 'genai_cost_co';
const RANGE = { start: '2026-02-21', end: '2026-03-20' };
let deps: Awaited<ReturnType<typeof testDeps>>;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

beforeAll(async () => {
  const clock = settableClock(Date.parse('2026-03-20T12:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: clock.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { default_currency: 'INR', default_timezone: 'Asia/Kolkata' } as never)).api_key;
  const profile = await deps.profiles.get(ORG);
  const registry = loadProviderRegistry(deps.config);
  for (const p of ['openai', 'anthropic']) await seedDefaultPricing(testCtx(deps), { datasetId: profile.org_dataset_id, provider: registry.find(p)!, now: deps.clock() });
  await seedCosts(deps, { orgSlug: ORG, days: 40, rowsPerDay: 150, seed: 11, end: '2026-03-20' });
  app = buildFunctionApp('integrations', routes, deps);
  ref = await referenceEngine(deps.warehouse, `${ORG}_prod`);
});
afterAll(() => ref.close());

async function get<T>(path: string): Promise<T> {
  const res = await app.fetch(new Request(`http://fn/api/v1/genai/${ORG}${path}`, { headers: { 'x-api-key': key } }));
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** LLM rows with their local day and INR cost at the rate of that day (last fixing on or before it). */
const LLM_INR = `WITH r AS (
    SELECT CAST(timezone('Asia/Kolkata', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS day, BillingCurrency AS cur, EffectiveCost,
           ProviderName, x_Model, x_InputTokens, x_OutputTokens, x_PricingId, x_CostSource
    FROM ledger WHERE x_CostCategory = 'llm')
  SELECT r.*, CAST(r.EffectiveCost AS DOUBLE) * t.per_eur / s.per_eur AS cost
  FROM r ASOF JOIN rates s ON s.currency = r.cur AND s.date <= r.day ASOF JOIN rates t ON t.currency = 'INR' AND t.date <= r.day`;
const inRange = `day BETWEEN DATE '${RANGE.start}' AND DATE '${RANGE.end}'`;
const q = `?start_date=${RANGE.start}&end_date=${RANGE.end}`;

type Row = { date: string; provider: string; model: string; total_cost: number; input_tokens: number; output_tokens: number; pricing_id: string | null; cost_source: string; currency: string; cost_type: string; x_hierarchy_entity_id: string | null };

describe('GenAI costs agree with SQL', () => {
  it('/costs/summary: total and per-model in INR to the paisa', async () => {
    const body = await get<{ currency: string; data: { total_cost: number; by_model: { provider: string; model: string; total_cost: number }[]; by_source: { cost_source: string }[] } }>(`/costs/summary${q}&include_models=true`);
    const [sql] = await ref.rows<{ total: number }>(`SELECT SUM(cost) AS total FROM (${LLM_INR}) WHERE ${inRange}`);
    expect(body.currency).toBe('INR');
    expect(sql!.total).toBeGreaterThan(0);
    expect(body.data.total_cost).toBe(Math.round(sql!.total * 100) / 100);
    const models = await ref.rows<{ model: string; total: number }>(`SELECT x_Model AS model, SUM(cost) AS total FROM (${LLM_INR}) WHERE ${inRange} GROUP BY 1`);
    expect(body.data.by_model.map((m) => m.model).sort()).toEqual(models.map((m) => m.model).sort());
    for (const m of models) expect(Math.abs(body.data.by_model.find((x) => x.model === m.model)!.total_cost - m.total)).toBeLessThanOrEqual(0.01 + 1e-9);
    expect(body.data.by_source.map((s) => s.cost_source)).toEqual(['estimated']);
  });

  it('/costs: per local day × model, each row priced with a version of llm_model_pricing, the rows summing to the total', async () => {
    const body = await get<{ data: Row[]; summary: { total_cost: number; estimated_cost: number }; pagination: { total: number } }>(`/costs${q}&limit=10000`);
    const days = await ref.rows<{ day: string; model: string; total: number }>(`SELECT CAST(day AS VARCHAR) AS day, x_Model AS model, SUM(cost) AS total FROM (${LLM_INR}) WHERE ${inRange} GROUP BY 1, 2`);
    const byKey = new Map<string, number>();
    for (const r of body.data) byKey.set(`${r.date}|${r.model}`, (byKey.get(`${r.date}|${r.model}`) ?? 0) + r.total_cost);
    expect(byKey.size).toBe(days.length);
    for (const d of days) expect(Math.abs(byKey.get(`${d.day}|${d.model}`)! - d.total)).toBeLessThanOrEqual(0.02);
    expect(Math.round(body.data.reduce((a, r) => a + r.total_cost, 0) * 100) / 100).toBe(body.summary.total_cost);
    expect(body.pagination.total).toBe(body.data.length);
    const versions = new Set((await deps.warehouse.query({ sql: `SELECT pricing_id FROM ${deps.warehouse.table(`${ORG}_prod`, 'llm_model_pricing')}` })).map((r) => String(r.pricing_id)));
    expect(body.data.every((r) => r.cost_source === 'estimated' && r.pricing_id !== null && versions.has(r.pricing_id) && r.currency === 'INR' && r.cost_type === 'payg')).toBe(true);
    expect(body.data.some((r) => r.x_hierarchy_entity_id !== null)).toBe(true);
    expect(body.summary.estimated_cost).toBe(body.summary.total_cost);
  });

  it('/usage: tokens per local day exactly as SQL counts them; limit/offset page the rows', async () => {
    const body = await get<{ data: Row[]; summary: { input_tokens: number; output_tokens: number; row_count: number } }>(`/usage${q}&limit=10000`);
    const [sql] = await ref.rows<{ i: bigint; o: bigint }>(`SELECT SUM(x_InputTokens) AS i, SUM(x_OutputTokens) AS o FROM (${LLM_INR}) WHERE ${inRange}`);
    expect(body.summary.input_tokens).toBe(Number(sql!.i));
    expect(body.summary.output_tokens).toBe(Number(sql!.o));
    const page = await get<{ data: Row[]; pagination: { total: number; has_more: boolean } }>(`/usage${q}&limit=5&offset=5`);
    expect(page.data).toEqual(body.data.slice(5, 10));
    expect(page.pagination).toMatchObject({ total: body.summary.row_count, has_more: true });
  });

  it('422 names a bad date', async () => {
    const res = await app.fetch(new Request(`http://fn/api/v1/genai/${ORG}/costs?start_date=2026-02-30`, { headers: { 'x-api-key': key } }));
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('start_date');
  });
});
