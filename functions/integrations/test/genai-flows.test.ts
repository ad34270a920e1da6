import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { defaultLines } from '@cloudact/shared/integrations/genai/defaults';
import { seedDefaultPricing } from '@cloudact/shared/integrations/pricing/seed';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * GenAI pricing, commitment (PTU/GSU) and infrastructure (GPU hours) flows, with the payg flow's
 * machinery: seed all three, custom prices with each flow's required fields, overrides of one
 * provider × identifier × region, and the double-click races (concurrent identical creates and
 * overrides) on the warehouse mode whose mutating statements really overlap.
 */
type Entry = Record<string, unknown> & { pricing_id: string; provider: string; region: string; is_override: boolean; last_updated: string };
type FlowList = { flow: string; count: number; total_count: number; data: Entry[] };

async function world(org: string) {
  const time = settableClock(Date.parse('2026-03-20T10:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
  await bootstrap(deps);
  const key = (await onboard(deps, org, { subscription_plan: 'SCALE' })).api_key;
  const app = buildFunctionApp('integrations', routes, deps);
  const call = async <T = Entry>(method: string, path: string, body?: unknown, root = false): Promise<{ status: number; body: T }> => {
    const res = await app.fetch(new Request(`http://fn/api/v1/genai/${org}/pricing${path}`, {
      method, headers: { ...(root ? { 'x-ca-root-key': TEST_ROOT_KEY } : { 'x-api-key': key }), 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as T };
  };
  const rows = (table: string, where: string) => deps.warehouse.query({ sql: `SELECT * FROM ${deps.warehouse.table(`${org}_prod`, table)} WHERE ${where}` });
  return { deps, call, rows };
}

let w: Awaited<ReturnType<typeof world>>;
beforeAll(async () => {
  w = await world('flows_co');
  const seeded = await w.call<{ seeded: Record<string, number> }>('POST', '/seed-defaults', undefined, true);
  expect(seeded.body.seeded).toEqual({ payg: defaultLines('payg').length, commitment: defaultLines('commitment').length, infrastructure: defaultLines('infrastructure').length });
});

describe('commitment', () => {
  it('lists the seeded PTU rates; a custom price needs commitment_type, region and ptu_hourly_rate', async () => {
    const list = await w.call<FlowList>('GET', '/commitment?provider=azure_openai');
    expect(list.body.data.find((p) => p.model === 'gpt-4o')).toMatchObject({ unit_name: 'PTU', region: 'eastus', ptu_hourly_rate: 4, ptu_monthly_rate: 2920, min_units: 50, tokens_per_unit_minute: 3500 });
    const missing = await w.call<{ details: { fields: Record<string, string[]> } }>('POST', '/commitment', { provider: 'azure_openai', model: 'gpt-4.1' });
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.body.details.fields).sort()).toEqual(['body.commitment_type', 'body.ptu_hourly_rate', 'body.region']);
    const made = await w.call('POST', '/commitment', { provider: 'azure_openai', model: 'gpt-4.1', region: 'swedencentral', commitment_type: 'ptu', unit_name: 'PTU', ptu_hourly_rate: '3.50', ptu_monthly_rate: 2555, min_units: 15 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ flow: 'commitment', model: 'gpt-4.1', region: 'swedencentral', ptu_hourly_rate: 3.5, ptu_monthly_rate: 2555, is_custom: true });
    expect(typeof made.body.pricing_id).toBe('string');
  });

  it('overrides the hourly and monthly rate of one provider × model × region', async () => {
    const res = await w.call('PUT', '/commitment/gpt-4o/override?provider=azure_openai&region=eastus', { override_value: 3.6, override_output_value: 2628 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ptu_hourly_rate: 3.6, ptu_monthly_rate: 2628, is_override: true, list_price: 4 });
    const vertex = await w.call<FlowList>('GET', '/commitment?provider=gcp_vertex');
    expect(vertex.body.data.every((p) => p.ptu_hourly_rate === null)).toBe(true); // the source has no GSU rate
  });
});

describe('infrastructure', () => {
  it('lists GPU hours; a custom instance; override of the hourly rate (output refused: one rate)', async () => {
    const list = await w.call<FlowList>('GET', '/infrastructure?provider=aws_gpu');
    expect(list.body.data.find((p) => p.instance_type === 'p5.48xlarge')).toMatchObject({ resource_type: 'gpu', region: 'us-east-1', cloud_provider: 'aws' });
    const missing = await w.call<{ details: { fields: Record<string, string[]> } }>('POST', '/infrastructure', { provider: 'gcp_gpu', instance_type: 'a4-highgpu-8g', region: 'us-central1', hourly_rate: 80 });
    expect(Object.keys(missing.body.details.fields)).toEqual(['body.resource_type']);
    const made = await w.call('POST', '/infrastructure', { provider: 'gcp_gpu', instance_type: 'a4-highgpu-8g', region: 'us-central1', resource_type: 'gpu', gpu_type: 'B200', gpu_count: 8, hourly_rate: '80.25', spot_discount_pct: 60 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ instance_type: 'a4-highgpu-8g', hourly_rate: 80.25, gpu_count: 8, spot_discount_pct: 60 });
    const two = await w.call('PUT', '/infrastructure/a4-highgpu-8g/override?provider=gcp_gpu', { override_value: 70, override_output_value: 1 });
    expect(two.status).toBe(422);
    const one = await w.call('PUT', '/infrastructure/a4-highgpu-8g/override?provider=gcp_gpu', { override_value: 70, effective_from: '2026-04-01' });
    expect(one.body).toMatchObject({ hourly_rate: 70, effective_from: '2026-04-01', is_override: true, list_price: 80.25 });
    // not in force today yet: today's list still answers the list rate
    const today = await w.call<FlowList>('GET', '/infrastructure?provider=gcp_gpu');
    expect(today.body.data.find((p) => p.instance_type === 'a4-highgpu-8g')).toMatchObject({ hourly_rate: 80.25, effective_to: '2026-03-31' });
  });
});

describe('double clicks (concurrent identical requests)', () => {
  it('ten identical creates: one 201, nine 409, one row', async () => {
    const body = { provider: 'aws_gpu', instance_type: 'p6-b200.48xlarge', region: 'us-west-2', resource_type: 'gpu', hourly_rate: 113.93 };
    const answers = await Promise.all(Array.from({ length: 10 }, () => w.call('POST', '/infrastructure', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, ...Array<number>(9).fill(409)]);
    expect(await w.rows('genai_infrastructure_pricing', "instance_type = 'p6-b200.48xlarge'")).toHaveLength(1);
  });

  it('ten identical overrides with the same expected_last_updated: one 200, nine 409, one new version', async () => {
    const list = await w.call<FlowList>('GET', '/commitment?provider=aws_bedrock');
    const target = list.body.data.find((p) => p.model === 'claude-3-haiku')!;
    const answers = await Promise.all(Array.from({ length: 10 }, () => w.call('PUT', '/commitment/claude-3-haiku/override?provider=aws_bedrock', { override_value: 20, expected_last_updated: target.last_updated })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(409)]);
    expect(await w.rows('genai_commitment_pricing', "model = 'claude-3-haiku' AND is_override")).toHaveLength(1);
  });
});

describe('seeds at once', () => {
  it('eight concurrent seeds of a fresh org (and the integrations seed of OpenAI among them) leave one row per key', async () => {
    const r = await world('seed_race_co');
    const profile = await r.deps.profiles.get('seed_race_co');
    const openai = loadProviderRegistry(r.deps.config).find('openai')!;
    const answers = await Promise.all([
      ...Array.from({ length: 8 }, () => r.call<{ seeded: Record<string, number> }>('POST', '/seed-defaults', undefined, true)),
      seedDefaultPricing(testCtx(r.deps), { datasetId: profile.org_dataset_id, provider: openai, now: r.deps.clock() }),
    ]);
    // A seed that kept losing the serialisation race past the adapter's reruns is 503 (retry later), never 500.
    const statuses = answers.slice(0, 8).map((a) => (typeof a === 'object' ? a.status : 0));
    expect(statuses.every((st) => st === 200 || st === 503), String(statuses)).toBe(true);
    expect(statuses).toContain(200);
    expect((await r.call('POST', '/seed-defaults', undefined, true)).status).toBe(200); // the client's retry
    for (const [table, id] of [['llm_model_pricing', 'model_id'], ['genai_commitment_pricing', 'model'], ['genai_infrastructure_pricing', 'instance_type']] as const) {
      const dupes = await r.deps.warehouse.query({ sql: `SELECT provider, ${id} AS id, COALESCE(region, 'global') AS region, COUNT(*) AS n FROM ${r.deps.warehouse.table('seed_race_co_prod', table)} WHERE provider != '-lock-' GROUP BY 1, 2, 3 HAVING COUNT(*) > 1` });
      expect(dupes, table).toEqual([]);
    }
    const count = async (table: string) => Number((await r.deps.warehouse.query({ sql: `SELECT COUNT(*) AS n FROM ${r.deps.warehouse.table('seed_race_co_prod', table)} WHERE provider != '-lock-'` }))[0]!.n);
    expect(await count('genai_commitment_pricing')).toBe(defaultLines('commitment').length);
    expect(await count('genai_infrastructure_pricing')).toBe(defaultLines('infrastructure').length);
  });
});
