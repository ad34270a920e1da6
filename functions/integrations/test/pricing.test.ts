import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { seedDefaultPricing } from '@cloudact/shared/integrations/pricing/seed';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { bootstrap, onboard, rowsOf, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * LLM pricing through the integrations function: history (as_of across price changes), reset,
 * all-or-nothing bulk updates, refusals, and the duplicate-model race on a warehouse whose
 * mutating statements really overlap. Today is 2026-03-10 (a settable clock).
 */
type Deps = Awaited<ReturnType<typeof testDeps>>;
type Entry = { pricing_id: string; model_id: string; input_price_per_1k: number; output_price_per_1k: number; effective_date: string; end_date: string | null; is_custom: boolean; notes: string | null; currency: string };
type List = { org_slug: string; provider: string; as_of: string; pricing: Entry[]; count: number };

const ORG = 'price_co';
let deps: Deps;
let app: ReturnType<typeof buildFunctionApp>;
let key: string;

async function seeded(d: Deps, slug: string, provider = 'openai') {
  const profile = await d.profiles.get(slug);
  const def = loadProviderRegistry(d.config).find(provider)!;
  return seedDefaultPricing(testCtx(d), { datasetId: profile.org_dataset_id, provider: def, now: d.clock() });
}

beforeAll(async () => {
  const time = settableClock(Date.parse('2026-03-10T12:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  key = (await onboard(deps, ORG, { subscription_plan: 'SCALE' })).api_key;
  expect(await seeded(deps, ORG)).toBe(7);
  expect(await seeded(deps, ORG)).toBe(0); // seeded once
  app = buildFunctionApp('integrations', routes, deps);
});

function call(method: string, path: string, body?: unknown, a: { app?: typeof app; key?: string; org?: string } = {}) {
  return (a.app ?? app).fetch(new Request(`http://fn/api/v1/integrations/${a.org ?? ORG}${path}`, {
    method, headers: { 'x-api-key': a.key ?? key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }));
}
const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await (await res).json()) as T;
function logLine(res: Response, d: Deps = deps): Record<string, unknown> {
  return d.logger.lines.find((l) => l.request_id === res.headers.get('x-request-id'))!;
}

describe('listing', () => {
  it('answers the seeded defaults, money exact, with the default limit (500) accepted: one round-trip', async () => {
    await call('GET', '/openai/pricing'); // warms the key and profile caches
    const res = await call('GET', '/openai/pricing');
    expect(res.status).toBe(200);
    const body = await json<List>(res);
    expect(body).toMatchObject({ org_slug: ORG, provider: 'OPENAI', as_of: '2026-03-10', count: 7 });
    expect(body.pricing.find((p) => p.model_id === 'gpt-4o')).toMatchObject({ input_price_per_1k: 0.0025, output_price_per_1k: 0.01, effective_date: '2024-11-01', end_date: null, is_custom: false, currency: 'USD' });
    expect(logLine(res)).toMatchObject({ warehouse_calls: 1, warehouse_depth: 1 });
  });

  it('limit 1..1000, offset, is_enabled and include_custom filters', async () => {
    expect((await call('GET', '/openai/pricing?limit=1000')).status).toBe(200);
    expect((await call('GET', '/openai/pricing?limit=1001')).status).toBe(422);
    expect((await call('GET', '/openai/pricing?limit=0')).status).toBe(422);
    const page = await json<List>(call('GET', '/openai/pricing?limit=2&offset=1'));
    expect(page.pricing.map((p) => p.model_id)).toEqual(['gpt-4-turbo', 'gpt-4o']);
    expect((await json<List>(call('GET', '/openai/pricing?is_enabled=false'))).count).toBe(0);
    expect((await json<List>(call('GET', '/openai/pricing?include_custom=false'))).count).toBe(7);
  });

  it('gcp has no pricing (404 naming the LLM providers); an unknown provider is 404 too', async () => {
    const res = await call('GET', '/gcp/pricing');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/not an LLM provider/), details: { providers: ['openai', 'anthropic', 'gemini', 'deepseek'] } });
    expect((await call('GET', '/mistral/pricing')).status).toBe(404);
  });
});

describe('history', () => {
  it('as_of answers the price in force on each day across two price changes', async () => {
    // Both changes re-price days already reported (today is 2026-03-10): they say so (backdate).
    const first = await call('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: 0.003, effective_date: '2026-01-01', backdate: true });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ input_price_per_1k: 0.003, output_price_per_1k: 0.01, effective_date: '2026-01-01', end_date: null });
    expect(logLine(first).warehouse_depth).toBeLessThanOrEqual(3);
    // The web app's older name of the input price.
    expect((await call('PUT', '/openai/pricing/gpt-4o', { price_per_1k_input_tokens: 0.004, effective_date: '2026-02-01', backdate: true })).status).toBe(200);

    const on = async (day: string) => (await json<Entry>(call('GET', `/openai/pricing/gpt-4o?as_of=${day}`))).input_price_per_1k;
    expect(await on('2025-06-01')).toBe(0.0025);
    expect(await on('2025-12-31')).toBe(0.0025);
    expect(await on('2026-01-01')).toBe(0.003);
    expect(await on('2026-01-31')).toBe(0.003);
    expect(await on('2026-02-01')).toBe(0.004);
    expect((await call('GET', '/openai/pricing/gpt-4o?as_of=2024-10-31')).status).toBe(404);
    const listed = await json<List>(call('GET', '/openai/pricing?as_of=2026-01-15'));
    expect(listed.pricing.find((p) => p.model_id === 'gpt-4o')!.input_price_per_1k).toBe(0.003);
    expect(listed.count).toBe(7);

    const history = await json<{ versions: Entry[]; count: number }>(call('GET', '/openai/pricing/gpt-4o/history'));
    expect(history.versions.map((v) => [v.effective_date, v.end_date, v.input_price_per_1k])).toEqual([
      ['2024-11-01', '2025-12-31', 0.0025],
      ['2026-01-01', '2026-01-31', 0.003],
      ['2026-02-01', null, 0.004],
    ]);
  });

  it('a price change without a date starts today; notes change in place; the past is never rewritten', async () => {
    const changed = await json<Entry>(call('PUT', '/openai/pricing/o1', { output_price_per_1k: 0.05 }));
    expect(changed).toMatchObject({ effective_date: '2026-03-10', output_price_per_1k: 0.05, input_price_per_1k: 0.015 });
    const noted = await json<Entry>(call('PUT', '/openai/pricing/o1', { notes: 'negotiated in March' }));
    expect(noted).toMatchObject({ pricing_id: changed.pricing_id, notes: 'negotiated in March' });
    // Today's version has priced no past day yet: a second change today corrects it in place.
    expect(await json<Entry>(call('PUT', '/openai/pricing/o1', { output_price_per_1k: 0.055 }))).toMatchObject({ pricing_id: changed.pricing_id, output_price_per_1k: 0.055 });
    const history = await json<{ versions: Entry[] }>(call('GET', '/openai/pricing/o1/history'));
    expect(history.versions.map((v) => [v.effective_date, v.end_date])).toEqual([['2024-11-01', '2026-03-09'], ['2026-03-10', null]]);

    const before = await call('PUT', '/openai/pricing/o1', { input_price_per_1k: 1, effective_date: '2026-03-01' });
    expect(before.status).toBe(422);
    expect(await before.json()).toMatchObject({ message: expect.stringMatching(/Nothing was changed/), details: { fields: { o1: [expect.stringMatching(/not rewritten/)] } } });
    expect((await call('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: 1, effective_date: '2026-02-01' })).status).toBe(422);
    expect((await call('PUT', '/openai/pricing/gpt-4o', { end_date: '2026-01-15' })).status).toBe(422);
    expect((await call('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: -1 })).status).toBe(422);
    expect((await call('PUT', '/openai/pricing/nope', { notes: 'x' })).status).toBe(404);
    expect((await call('PUT', '/openai/pricing/gpt-4o', {})).status).toBe(422);
  });
});

describe('creating and deleting', () => {
  it('POST prices a model (201, aliases accepted, money exact); a duplicate is 409', async () => {
    const res = await call('POST', '/openai/pricing', { model_id: 'ft-gpt-4o-mini', price_per_1k_input_tokens: '0.000000001', price_per_1k_output_tokens: 0.0012, model_name: 'Fine-tuned' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ model_id: 'ft-gpt-4o-mini', input_price_per_1k: 1e-9, output_price_per_1k: 0.0012, is_custom: true, effective_date: '2026-03-10' });
    expect(logLine(res).warehouse_depth).toBeLessThanOrEqual(4);
    const [stored] = await deps.warehouse.query({ sql: `SELECT input_price_per_1k FROM ${deps.warehouse.table(`${ORG}_prod`, 'llm_model_pricing')} WHERE model_id = 'ft-gpt-4o-mini'` });
    expect(stored!.input_price_per_1k).toBe('0.000000001');

    const dup = await call('POST', '/openai/pricing', { model_id: 'ft-gpt-4o-mini', input_price_per_1k: 1, output_price_per_1k: 1 });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: 'CONFLICT', details: { model_id: 'ft-gpt-4o-mini', effective_date: '2026-03-10' } });
    expect((await call('POST', '/openai/pricing', { model_id: 'gpt-4o', input_price_per_1k: 1, output_price_per_1k: 1 })).status).toBe(409);
  });

  it.each([
    ['a negative price', { model_id: 'neg', input_price_per_1k: -0.1, output_price_per_1k: 1 }, /0 or more/],
    ['end before start', { model_id: 'ends', input_price_per_1k: 1, output_price_per_1k: 1, effective_date: '2026-05-01', end_date: '2026-04-30' }, /before effective_date/],
    ['more than 9 decimals', { model_id: 'tiny', input_price_per_1k: 0.0000000001, output_price_per_1k: 1 }, /9 digits/],
    ['a price under both names', { model_id: 'both', input_price_per_1k: 1, price_per_1k_input_tokens: 1, output_price_per_1k: 1 }, /once/],
    ['no output price', { model_id: 'half', input_price_per_1k: 1 }, /required/],
    ['a bad model_id', { model_id: 'has space', input_price_per_1k: 1, output_price_per_1k: 1 }, /model_id/],
    ['an unknown field', { model_id: 'x', input_price_per_1k: 1, output_price_per_1k: 1, colour: 'red' }, /Unknown field|unrecognized|colour/],
    ['a discount over 100%', { model_id: 'x', input_price_per_1k: 1, output_price_per_1k: 1, discount_percentage: 101 }, /at most 100/],
    ['a date that does not exist', { model_id: 'x', input_price_per_1k: 1, output_price_per_1k: 1, effective_date: '2026-02-30' }, /calendar/],
  ])('POST refuses %s (422)', async (_name, body, message) => {
    const res = await call('POST', '/openai/pricing', body);
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toMatch(message);
  });

  it('DELETE ends the model from today (204, no body): past prices stay answerable; it may be priced again', async () => {
    const res = await call('DELETE', '/openai/pricing/gpt-3.5-turbo');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect((await call('GET', '/openai/pricing/gpt-3.5-turbo')).status).toBe(404);
    expect(await json<Entry>(call('GET', '/openai/pricing/gpt-3.5-turbo?as_of=2026-03-09'))).toMatchObject({ input_price_per_1k: 0.0005, end_date: '2026-03-09' });
    expect((await json<List>(call('GET', '/openai/pricing'))).pricing.map((p) => p.model_id)).not.toContain('gpt-3.5-turbo');
    expect((await call('DELETE', '/openai/pricing/gpt-3.5-turbo')).status).toBe(404);
    expect((await call('POST', '/openai/pricing', { model_id: 'gpt-3.5-turbo', input_price_per_1k: 0.0004, output_price_per_1k: 0.0012 })).status).toBe(201);
    // Created today and deleted today: it priced no past day, so it is removed, not ended.
    expect((await call('DELETE', '/openai/pricing/gpt-3.5-turbo')).status).toBe(204);
    const history = await json<{ versions: Entry[] }>(call('GET', '/openai/pricing/gpt-3.5-turbo/history'));
    expect(history.versions.map((v) => [v.effective_date, v.end_date])).toEqual([['2024-11-01', '2026-03-09']]);
  });
});

describe('bulk update', () => {
  it('is all or nothing: any failing item refuses the whole request (422 naming each), nothing written', async () => {
    const before = await json<List>(call('GET', '/openai/pricing'));
    const res = await call('PATCH', '/openai/pricing', { updates: [
      { model_id: 'gpt-4o-mini', input_price_per_1k: 0.0002 },
      { model_id: 'no-such-model', input_price_per_1k: 1 },
      { model_id: 'o3-mini', end_date: '2020-01-01' },
    ] });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { details: { fields: Record<string, string[]> } };
    expect(Object.keys(body.details.fields)).toEqual(['updates.1 (no-such-model)', 'updates.2 (o3-mini)']);
    expect((body as unknown as { detail: string }).detail).toMatch(/updates\.1 \(no-such-model\): no current .* \| updates\.2 \(o3-mini\): /);
    expect(await json<List>(call('GET', '/openai/pricing'))).toEqual(before);

    // A malformed item is refused by validation, naming its index.
    const malformed = await call('PATCH', '/openai/pricing', { updates: [{ model_id: 'gpt-4o-mini', input_price_per_1k: 0.0002 }, { model_id: 'o1-mini', output_price_per_1k: -3 }] });
    expect(malformed.status).toBe(422);
    const refused = (await malformed.json()) as { detail: string; details: { fields: Record<string, string[]> } };
    expect(Object.keys(refused.details.fields)).toEqual(['body.updates.1.output_price_per_1k']);
    // The answer names the failing item by its model_id, not only its index.
    expect(refused.detail).toMatch(/updates\.1 \(o1-mini\): output_price_per_1k/);
    expect(await json<List>(call('GET', '/openai/pricing'))).toEqual(before);
  });

  it('applies every item in one statement', async () => {
    const res = await call('PATCH', '/openai/pricing', { updates: [
      { model_id: 'gpt-4o-mini', input_price_per_1k: 0.0002, effective_date: '2026-03-11' },
      { model_id: 'o1-mini', notes: 'kept for batch jobs', is_enabled: false },
    ] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ updated_count: 2, failed_count: 0, errors: [] });
    expect(logLine(res).warehouse_depth).toBeLessThanOrEqual(3);
    expect(await json<Entry>(call('GET', '/openai/pricing/gpt-4o-mini?as_of=2026-03-11'))).toMatchObject({ input_price_per_1k: 0.0002 });
    expect(await json<Entry>(call('GET', '/openai/pricing/gpt-4o-mini'))).toMatchObject({ input_price_per_1k: 0.00015, end_date: '2026-03-10' });
    expect((await json<List>(call('GET', '/openai/pricing?is_enabled=false'))).pricing.map((p) => p.model_id)).toEqual(['o1-mini']);
  });
});

describe('reset', () => {
  it('restores the defaults from today; custom models end; earlier prices stay in the history', async () => {
    const res = await call('POST', '/openai/pricing/reset');
    expect(res.status).toBe(200);
    const body = await json<List>(res);
    expect(body.count).toBe(7);
    expect(body.pricing.every((p) => !p.is_custom && p.effective_date === '2026-03-10' && p.end_date === null)).toBe(true);
    expect(body.pricing.find((p) => p.model_id === 'gpt-4o')).toMatchObject({ input_price_per_1k: 0.0025 });
    expect(body.pricing.find((p) => p.model_id === 'o1')).toMatchObject({ output_price_per_1k: 0.06 });
    expect(body.pricing.map((p) => p.model_id)).not.toContain('ft-gpt-4o-mini');
    expect(body.pricing.find((p) => p.model_id === 'gpt-3.5-turbo')).toMatchObject({ input_price_per_1k: 0.0005 });
    expect(logLine(res).warehouse_depth).toBeLessThanOrEqual(2);
    // History before today is untouched.
    expect(await json<Entry>(call('GET', '/openai/pricing/gpt-4o?as_of=2026-02-15'))).toMatchObject({ input_price_per_1k: 0.004, end_date: '2026-03-09' });
    // Scheduled versions (from tomorrow) are gone: the defaults hold.
    expect(await json<Entry>(call('GET', '/openai/pricing/gpt-4o-mini?as_of=2026-03-11'))).toMatchObject({ input_price_per_1k: 0.00015 });
    expect((await json<List>(call('GET', '/openai/pricing'))).pricing).toEqual(body.pricing);
  });

  it('each provider resets to its own defaults, every column where the seed file says (gemini\'s free tier)', async () => {
    const body = await json<{ pricing: Record<string, unknown>[] }>(call('POST', '/google/pricing/reset'));
    expect(body.pricing.find((p) => p.model_id === 'gemini-2.0-flash')).toMatchObject({
      provider: 'GEMINI', input_price_per_1k: 0.0001, pricing_type: 'standard', free_tier_input_tokens: 2_000_000_000, free_tier_reset_frequency: 'daily', x_gemini_context_window: '1M', x_openai_batch_output_price: null,
    });
    expect((await json<List>(call('GET', '/deepseek/pricing'))).count).toBe(0);
    expect((await json<List>(call('POST', '/deepseek/pricing/reset'))).count).toBe(2);
  });

  it('every change left an audit row naming the key', async () => {
    const rows = await rowsOf(deps, 'org_audit_logs', ORG, "action LIKE 'LLM_PRICING_%'");
    expect(new Set(rows.map((r) => r.action))).toEqual(new Set(['LLM_PRICING_UPDATE', 'LLM_PRICING_BACKDATE', 'LLM_PRICING_CREATE', 'LLM_PRICING_DELETE', 'LLM_PRICING_BULK_UPDATE', 'LLM_PRICING_RESET']));
    expect(rows.every((r) => r.actor_type === 'org' && r.api_key_id)).toBe(true);
  });
});

describe('a duplicate model_id decided without unique constraints', () => {
  it('eight POSTs of one new model at once on overlapping statements: one 201, seven 409, one row', async () => {
    const raceDeps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 20 }) });
    await bootstrap(raceDeps);
    const raceKey = (await onboard(raceDeps, 'race_co')).api_key;
    const raceApp = buildFunctionApp('integrations', routes, raceDeps);
    const post = (i: number) => call('POST', '/anthropic/pricing', { model_id: 'claude-new', input_price_per_1k: 0.001 * (i + 1), output_price_per_1k: 0.002 }, { app: raceApp, key: raceKey, org: 'race_co' });
    const statuses = (await Promise.all(Array.from({ length: 8 }, (_, i) => post(i)))).map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await raceDeps.warehouse.query({ sql: `SELECT pricing_id FROM ${raceDeps.warehouse.table('race_co_prod', 'llm_model_pricing')} WHERE model_id = 'claude-new'` });
    expect(rows).toHaveLength(1);
  });
});

describe('a create whose MERGE fails', () => {
  it('answer lost after the MERGE committed: the read-back finds the row (201, one row); failed before it: 503, nothing, and a retry works', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const d = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: faulty });
    await bootstrap(d);
    const k = (await onboard(d, 'fault_co')).api_key;
    const a = buildFunctionApp('integrations', routes, d);
    const post = (model: string) => call('POST', '/openai/pricing', { model_id: model, input_price_per_1k: 0.001, output_price_per_1k: 0.002 }, { app: a, key: k, org: 'fault_co' });
    await call('GET', '/openai/pricing', undefined, { app: a, key: k, org: 'fault_co' }); // warm caches: the create's calls are then ensureLock, MERGE, read-back, audit
    const count = async (model: string) => (await d.warehouse.query({ sql: `SELECT pricing_id FROM ${d.warehouse.table('fault_co_prod', 'llm_model_pricing')} WHERE model_id = @m`, params: { m: model } })).length;

    faulty.armAt(2, 'after');
    const lost = await post('lost-answer');
    expect(faulty.log.slice(0, 2)).toEqual(['execute', 'execute']);
    expect(lost.status).toBe(201);
    expect(await count('lost-answer')).toBe(1);

    faulty.armAt(2, 'before');
    expect((await post('never-ran')).status).toBe(503);
    expect(await count('never-ran')).toBe(0);
    faulty.heal();
    expect((await post('never-ran')).status).toBe(201);
    expect(await count('never-ran')).toBe(1);
  });
});

describe('dates are the org\'s own', () => {
  it('a price added without a date takes effect from the org\'s local today (Asia/Kolkata is already tomorrow at 20:00 UTC)', async () => {
    const time = settableClock(Date.parse('2026-03-10T20:00:00Z'));
    const d = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
    await bootstrap(d);
    const k = (await onboard(d, 'ist_co', { subscription_plan: 'SCALE', default_timezone: 'Asia/Kolkata' })).api_key;
    const a = buildFunctionApp('integrations', routes, d);
    const res = await call('POST', '/openai/pricing', { model_id: 'local-day-model', input_price_per_1k: 1, output_price_per_1k: 2 }, { app: a, key: k, org: 'ist_co' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ effective_date: '2026-03-11' });
    const list = await json<List>(call('GET', '/openai/pricing', undefined, { app: a, key: k, org: 'ist_co' }));
    expect(list.as_of).toBe('2026-03-11');
  });
});
