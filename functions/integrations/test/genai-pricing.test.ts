import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { seedDefaultPricing, seedFile } from '@cloudact/shared/integrations/pricing/seed';
import { defaultLines } from '@cloudact/shared/integrations/genai/defaults';
import { routes } from '../src/routes.js';
import { testDeps, TEST_ROOT_KEY } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * GenAI pricing, pay-as-you-go flow, through the integrations function: seed (root), list, add a
 * custom price (201 with pricing_id), override input and output of one provider × model × region
 * (the others unchanged), a stale expected_last_updated (409), remove the override, soft delete;
 * and the one shared history with /integrations/{org}/{provider}/pricing. The org is in Kolkata:
 * at 20:00 UTC on 2026-03-20 its today is 2026-03-21.
 */
type Deps = Awaited<ReturnType<typeof testDeps>>;
type Entry = Record<string, unknown> & { pricing_id: string; provider: string; model: string; region: string; input_per_1m: number; output_per_1m: number; is_override: boolean; last_updated: string; effective_from: string; effective_to: string | null; status: string };
type All = { org_slug: string; as_of: string; payg: Entry[]; commitment: Entry[]; infrastructure: Entry[]; total_count: number };
type FlowList = { flow: string; count: number; total_count: number; data: Entry[] };

const ORG = 'genai_co';
let deps: Deps;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;

beforeAll(async () => {
  const time = settableClock(Date.parse('2026-03-20T20:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE', default_timezone: 'Asia/Kolkata' })).api_key;
  // The integrations routes' seed first: the GenAI seed must keep its rows (one history per model).
  const profile = await deps.profiles.get(ORG);
  await seedDefaultPricing(testCtx(deps), { datasetId: profile.org_dataset_id, provider: loadProviderRegistry(deps.config).find('openai')!, now: deps.clock() });
  app = buildFunctionApp('integrations', routes, deps);
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-api-key': key }) {
  return app.fetch(new Request(`http://fn/api/v1${path}`, {
    method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
}
const fields = async (res: Response | Promise<Response>): Promise<Record<string, string[]>> => ((await (await res).json()) as { details: { fields: Record<string, string[]> } }).details.fields;
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
const G = `/genai/${ORG}/pricing`;

describe('seed-defaults (root)', () => {
  it('is refused with an org key and reachable with the root key; seeds each key once', async () => {
    expect((await call('POST', `${G}/seed-defaults`)).status).toBe(401);
    const res = await call('POST', `${G}/seed-defaults?flow=payg`, undefined, { 'x-ca-root-key': TEST_ROOT_KEY });
    expect(res.status).toBe(200);
    const body = await json<{ seeded: Record<string, number>; total: number }>(res);
    const lines = defaultLines('payg');
    // gpt-4o, gpt-4o-mini ... of the integrations seed were there already: not added twice
    expect(body.seeded.payg).toBeGreaterThan(0);
    expect(body.seeded.payg).toBeLessThan(lines.length);
    const again = await json<{ seeded: Record<string, number> }>(call('POST', `${G}/seed-defaults?flow=payg`, undefined, { 'x-ca-root-key': TEST_ROOT_KEY }));
    expect(again.seeded.payg).toBe(0);
  });

  it('the payg defaults price every model the integrations seed does, at the same price (either seed may run first)', () => {
    const payg = new Map(defaultLines('payg').filter((l) => l.region === 'global').map((l) => [`${String(l.provider)}|${String(l.model)}`, l]));
    for (const l of seedFile()) {
      const p = payg.get(`${l.provider}|${l.model_id}`);
      expect(p, `${l.provider} ${l.model_id}`).toBeDefined();
      expect(Number(p!.input_per_1m)).toBeCloseTo(Number(l.input_price_per_1k) * 1000, 9);
      expect(Number(p!.output_per_1m)).toBeCloseTo(Number(l.output_price_per_1k) * 1000, 9);
    }
  });

  it('422 names the query field for an unknown flow', async () => {
    const res = await call('POST', `${G}/seed-defaults?flow=spot`, undefined, { 'x-ca-root-key': TEST_ROOT_KEY });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('flow');
  });
});

describe('listing', () => {
  it('answers every flow with total_count and honours limit/offset', async () => {
    const all = await json<All>(call('GET', `${G}?provider=openai`));
    expect(all).toMatchObject({ org_slug: ORG, as_of: '2026-03-21' });
    expect(all.payg.every((p) => p.provider === 'openai')).toBe(true);
    const gpt = all.payg.find((p) => p.model === 'gpt-4o')!;
    expect(gpt).toMatchObject({ input_per_1m: 2.5, output_per_1m: 10, region: 'global', currency: 'USD', status: 'active', is_override: false });
    const page = await json<FlowList>(call('GET', `${G}/payg?limit=2&offset=1`));
    expect(page).toMatchObject({ flow: 'payg', count: 2 });
    const whole = await json<FlowList>(call('GET', `${G}/payg`));
    expect(page.total_count).toBe(whole.count);
    expect(page.data.map((p) => p.pricing_id)).toEqual(whole.data.slice(1, 3).map((p) => p.pricing_id));
  });
});

describe('custom price', () => {
  it('201 with the row and its pricing_id; 409 on the same provider × model × region; another region is its own key', async () => {
    const body = { provider: 'azure_openai', model: 'gpt-4.1', region: 'eastus', input_per_1m: 2, output_per_1m: '8.00', context_window: 1_000_000, supports_tools: true };
    const res = await call('POST', `${G}/payg`, body);
    expect(res.status).toBe(201);
    const row = await json<Entry>(res);
    expect(row).toMatchObject({ provider: 'azure_openai', model: 'gpt-4.1', region: 'eastus', input_per_1m: 2, output_per_1m: 8, context_window: 1_000_000, is_custom: true, effective_from: '2026-03-21' });
    expect(row.pricing_id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await call('POST', `${G}/payg`, body)).status).toBe(409);
    expect((await call('POST', `${G}/payg`, { ...body, region: 'westeurope' })).status).toBe(201);
  });

  it('422 names the missing or foreign field', async () => {
    const missing = await call('POST', `${G}/payg`, { provider: 'openai', model: 'x-1', input_per_1m: 1 });
    expect(missing.status).toBe(422);
    expect((await fields(missing))).toHaveProperty(['body.output_per_1m']);
    const foreign = await call('POST', `${G}/payg`, { provider: 'openai', model: 'x-1', input_per_1m: 1, output_per_1m: 2, hourly_rate: 3 });
    expect((await fields(foreign))).toHaveProperty(['body.hourly_rate']);
    const provider = await call('POST', `${G}/payg`, { provider: 'gcp_gpu', model: 'x-1', input_per_1m: 1, output_per_1m: 2 });
    expect((await fields(provider))).toHaveProperty(['body.provider']);
    const past = await call('POST', `${G}/payg`, { provider: 'openai', model: 'x-1', input_per_1m: 1, output_per_1m: 2, effective_from: '2026-03-20' });
    expect(past.status).toBe(422); // the org's today is the 21st (the server's is the 20th)
    expect((await fields(past))).toHaveProperty(['body.effective_from']);
    const fine = await call('POST', `${G}/payg`, { provider: 'openai', model: 'x-1', input_per_1m: '0.0000001', output_per_1m: 2 });
    expect(fine.status).toBe(422); // per 1M with 7 decimals is 10 per 1k: the column holds 9
  });
});

describe('override', () => {
  it('changes input and output of one provider × model × region only; the integrations route sees the same price', async () => {
    const before = await json<FlowList>(call('GET', `${G}/payg`));
    const target = before.data.find((p) => p.provider === 'azure_openai' && p.model === 'gpt-4o' && p.region === 'eastus')!;
    const ambiguous = await call('PUT', `${G}/payg/gpt-4o/override`, { override_value: 2 });
    expect(ambiguous.status).toBe(422); // gpt-4o is priced by openai and azure_openai in three regions
    const res = await call('PUT', `${G}/payg/gpt-4o/override?provider=azure_openai&region=eastus`, { override_value: 2.25, override_output_value: 9, notes: 'EA', expected_last_updated: target.last_updated });
    expect(res.status).toBe(200);
    const row = await json<Entry>(res);
    expect(row).toMatchObject({ input_per_1m: 2.25, output_per_1m: 9, is_override: true, override_value: 2.25, override_output_value: 9, list_price: target.input_per_1m, override_effective_from: '2026-03-21', notes: 'EA' });
    const after = await json<FlowList>(call('GET', `${G}/payg`));
    const others = (l: FlowList) => l.data.filter((p) => p.model === 'gpt-4o' && p.pricing_id !== target.pricing_id && p.pricing_id !== row.pricing_id).map((p) => [p.provider, p.region, p.input_per_1m, p.output_per_1m, p.last_updated]);
    expect(others(after)).toEqual(others(before));
    expect(others(after).length).toBe(2);

    // openai/global through both routes: one history
    const o = await json<Entry>(call('PUT', `${G}/payg/gpt-4o/override?provider=openai`, { override_value: '2.00', override_output_value: '8.00', effective_from: '2026-03-25' }));
    expect(o).toMatchObject({ input_per_1m: 2, output_per_1m: 8, effective_from: '2026-03-25' });
    const integ = await json<{ input_price_per_1k: number; output_price_per_1k: number }>(call('GET', `/integrations/${ORG}/openai/pricing/gpt-4o?as_of=2026-03-25`));
    expect(integ).toMatchObject({ input_price_per_1k: 0.002, output_price_per_1k: 0.008 });
    const history = await json<{ history: unknown[] } | unknown[]>(call('GET', `/integrations/${ORG}/openai/pricing/gpt-4o/history`));
    expect(JSON.stringify(history)).toContain('2026-03-24'); // the list-price version ends the day before the override
  });

  it('409 on a stale expected_last_updated, and nothing written', async () => {
    const stale = await call('PUT', `${G}/payg/gpt-4o/override?provider=azure_openai&region=westeurope`, { override_value: 1, expected_last_updated: '2020-01-01T00:00:00Z' });
    expect(stale.status).toBe(409);
    const now = await json<FlowList>(call('GET', `${G}/payg?provider=azure_openai`));
    expect(now.data.find((p) => p.model === 'gpt-4o' && p.region === 'westeurope')).toMatchObject({ is_override: false });
  });

  it('422 for an output override on a one-rate flow and a past effective_from', async () => {
    const past = await call('PUT', `${G}/payg/gpt-4o/override?provider=azure_openai&region=westeurope`, { override_value: 1, effective_from: '2026-03-20' });
    expect(past.status).toBe(422);
    expect((await fields(past))).toHaveProperty(['body.effective_from']);
  });

  it('{identifier} may be a pricing_id: it names one key without provider or region', async () => {
    const list = await json<FlowList>(call('GET', `${G}/payg?provider=azure_openai`));
    const row = list.data.find((p) => p.model === 'gpt-4o-mini' && p.region === 'westeurope')!;
    const res = await call('PUT', `${G}/payg/${row.pricing_id}/override`, { override_value: 0.14, override_output_value: 0.55 });
    expect(res.status).toBe(200);
    expect(await json<Entry>(res)).toMatchObject({ provider: 'azure_openai', model: 'gpt-4o-mini', region: 'westeurope', input_per_1m: 0.14, output_per_1m: 0.55 });
    const other = (await json<FlowList>(call('GET', `${G}/payg?provider=azure_openai`))).data.find((p) => p.model === 'gpt-4o-mini' && p.region === 'eastus')!;
    expect(other.is_override).toBe(false);
    // the old version's id still names the key (the override's new version is the current one)
    expect((await call('DELETE', `${G}/payg/${row.pricing_id}/override`)).status).toBe(200);
  });

  it('DELETE .../override brings the list price back', async () => {
    const res = await call('DELETE', `${G}/payg/gpt-4o/override?provider=azure_openai&region=eastus`);
    expect(res.status).toBe(200);
    const row = await json<Entry>(res);
    expect(row).toMatchObject({ is_override: false, override_value: null });
    const list = defaultLines('payg').find((l) => l.provider === 'azure_openai' && l.model === 'gpt-4o' && l.region === 'eastus')!;
    expect(row.input_per_1m).toBe(Number(list.input_per_1m));
    expect((await call('DELETE', `${G}/payg/gpt-4o/override?provider=azure_openai&region=eastus`)).status).toBe(404);
  });
});

describe('soft delete', () => {
  it('204; gone from the list, back with include_inactive as deleted', async () => {
    expect((await call('DELETE', `${G}/payg/gpt-4.1?provider=azure_openai&region=westeurope`)).status).toBe(204);
    const list = await json<FlowList>(call('GET', `${G}/payg?provider=azure_openai`));
    expect(list.data.some((p) => p.model === 'gpt-4.1' && p.region === 'westeurope')).toBe(false);
    const all = await json<FlowList>(call('GET', `${G}/payg?provider=azure_openai&include_inactive=true`));
    expect(all.data.find((p) => p.model === 'gpt-4.1' && p.region === 'westeurope')).toMatchObject({ status: 'deleted' });
    expect((await call('DELETE', `${G}/payg/gpt-4.1?provider=azure_openai&region=westeurope`)).status).toBe(404);
  });
});
