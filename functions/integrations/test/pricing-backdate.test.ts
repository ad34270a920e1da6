import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { seedDefaultPricing } from '@cloudact/shared/integrations/pricing/seed';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, rowsOf, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * Re-pricing days already reported is allowed, but only on request: a PUT or bulk item whose
 * change would rewrite a past day (an effective_date before today, a past end_date, a price
 * corrected on a version that priced past days) must carry "backdate": true, or it is refused
 * (422 naming the field); a backdate leaves an LLM_PRICING_BACKDATE audit row with before and
 * after. Today is 2026-03-10 (UTC, the org's timezone); the seeded gpt-4o price runs from 2024-11-01.
 */
const ORG = 'backdate_co';
let deps: Awaited<ReturnType<typeof testDeps>>;
let call: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
type Err = { detail: string; details: { fields: Record<string, string[]> } };
type Entry = { pricing_id: string; effective_date: string; end_date: string | null; input_price_per_1k: number };
const history = async (model: string) => (await call<{ versions: Entry[] }>('GET', `/openai/pricing/${model}/history`)).body.versions.map((v) => [v.effective_date, v.end_date, v.input_price_per_1k]);

beforeAll(async () => {
  const time = settableClock(Date.parse('2026-03-10T12:00:00Z'));
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  const key = (await onboard(deps, ORG, { subscription_plan: 'SCALE' })).api_key;
  const profile = await deps.profiles.get(ORG);
  await seedDefaultPricing(testCtx(deps), { datasetId: profile.org_dataset_id, provider: loadProviderRegistry(deps.config).find('openai')!, now: deps.clock() });
  const app = buildFunctionApp('integrations', routes, deps);
  call = async (method, path, body) => {
    const res = await app.fetch(new Request(`http://fn/api/v1/integrations/${ORG}${path}`, {
      method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    return { status: res.status, body: (await res.json()) as never };
  };
});

describe('a PUT that would re-price past days', () => {
  it('effective_date before today: 422 naming effective_date without backdate; with it a new version from that day, audited', async () => {
    const refused = await call<Err>('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: 0.003, effective_date: '2026-01-01' });
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['body.effective_date']?.[0]).toMatch(/2026-01-01 to 2026-03-09 .*backdate/);
    expect(refused.body.detail).toMatch(/backdate/);
    expect(await history('gpt-4o')).toEqual([['2024-11-01', null, 0.0025]]);

    const done = await call<Entry>('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: 0.003, effective_date: '2026-01-01', backdate: true });
    expect(done.status).toBe(200);
    expect(await history('gpt-4o')).toEqual([['2024-11-01', '2025-12-31', 0.0025], ['2026-01-01', null, 0.003]]);
    const [audit] = await rowsOf(deps, 'org_audit_logs', ORG, "action = 'LLM_PRICING_BACKDATE'");
    const details = (typeof audit!.details === 'string' ? JSON.parse(audit!.details) : audit!.details) as Record<string, Record<string, unknown>>;
    expect(details).toMatchObject({ model_id: 'gpt-4o', repriced: { from: '2026-01-01', to: '2026-03-09' }, before: { input_price_per_1k: 0.0025, end_date: null }, after: { input_price_per_1k: 0.003, effective_date: '2026-01-01' } });
  });

  it('a past end_date: 422 naming end_date without backdate; with it the version ends then', async () => {
    const refused = await call<Err>('PUT', '/openai/pricing/o1', { end_date: '2026-03-01' });
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['body.end_date']?.[0]).toMatch(/2026-03-02 to 2026-03-09 .*backdate/);
    expect((await call('PUT', '/openai/pricing/o1', { end_date: '2026-03-01', backdate: true })).status).toBe(200);
    expect((await history('o1')).map(([from, to]) => [from, to])).toEqual([['2024-11-01', '2026-03-01']]);
    // An end from today on rewrites no past day: no flag needed.
    expect((await call('PUT', '/openai/pricing/gpt-4o-mini', { end_date: '2026-03-10' })).status).toBe(200);
  });

  it('a price corrected on the version that priced past days: in place with backdate, refused without', async () => {
    expect((await call<Err>('PUT', '/openai/pricing/o1-mini', { input_price_per_1k: 0.004, effective_date: '2024-11-01' })).status).toBe(422);
    const fixed = await call<Entry>('PUT', '/openai/pricing/o1-mini', { input_price_per_1k: 0.004, effective_date: '2024-11-01', backdate: true });
    expect(fixed.status).toBe(200);
    expect(await history('o1-mini')).toEqual([['2024-11-01', null, 0.004]]);
  });

  it('a bulk item needs its own backdate; the refusal names the item and the field', async () => {
    const refused = await call<Err>('PATCH', '/openai/pricing', { updates: [{ model_id: 'o3-mini', input_price_per_1k: 0.002, effective_date: '2026-02-01' }] });
    expect(refused.status).toBe(422);
    expect(refused.body.details.fields['updates.0 (o3-mini)']?.[0]).toMatch(/^effective_date: .*backdate/);
    expect((await call('PATCH', '/openai/pricing', { updates: [{ model_id: 'o3-mini', input_price_per_1k: 0.002, effective_date: '2026-02-01', backdate: true }] })).status).toBe(200);
    expect((await history('o3-mini')).map(([from, to]) => [from, to])).toEqual([['2024-11-01', '2026-01-31'], ['2026-02-01', null]]);
    const rows = await rowsOf(deps, 'org_audit_logs', ORG, "action = 'LLM_PRICING_BULK_UPDATE'");
    expect(JSON.stringify(rows.map((r) => r.details))).toMatch(/repriced/);
  });
});
