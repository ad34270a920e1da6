import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { loadProviderRegistry } from '@cloudact/shared/integrations/registry';
import { seedDefaultPricing } from '@cloudact/shared/integrations/pricing/seed';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock, testCtx } from '../../../shared/test/support/orgs.js';

/**
 * Races of the LLM pricing and subscription verbs on the warehouse mode where mutating
 * statements really overlap and conflict as on BigQuery (no unique constraints, no
 * transactions; conflicts rerun by the adapter). Today is 2026-03-10 (a settable clock).
 */
async function raceOrg(org: string) {
  const time = settableClock(Date.parse('2026-03-10T12:00:00Z'));
  const deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock, warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
  await bootstrap(deps);
  const key = (await onboard(deps, org, { subscription_plan: 'SCALE' })).api_key;
  const app = buildFunctionApp('integrations', routes, deps);
  const call = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await app.fetch(new Request(`http://fn/api/v1/integrations/${org}${path}`, {
      method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }));
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as T };
  };
  const seed = async () => {
    const profile = await deps.profiles.get(org);
    return seedDefaultPricing(testCtx(deps), { datasetId: profile.org_dataset_id, provider: loadProviderRegistry(deps.config).find('openai')!, now: deps.clock() });
  };
  const rows = (table: string, where: string, params: Record<string, string> = {}) =>
    deps.warehouse.query({ sql: `SELECT * FROM ${deps.warehouse.table(`${org}_prod`, table)} WHERE ${where}`, params });
  return { deps, time, call, seed, rows };
}

describe('first VALID setups at once seed the default prices once', () => {
  it('20 concurrent seeds of a fresh org: the answers add up to one copy (7 rows)', async () => {
    const r = await raceOrg('seed_race');
    const seeded = await Promise.all(Array.from({ length: 20 }, () => r.seed()));
    expect(seeded.reduce((a, b) => a + b, 0)).toBe(7);
    expect(seeded.filter((n) => n > 0)).toEqual([7]);
    expect(await r.rows('llm_model_pricing', "provider = 'OPENAI' AND NOT is_custom")).toHaveLength(7);
    expect(await r.seed()).toBe(0);
  });
});

type Entry = { pricing_id: string; model_id: string; input_price_per_1k: number; effective_date: string; end_date: string | null; notes: string | null };

describe('read-modify-writes of one model at once: every write checks what it read', () => {
  it('30 PUTs of one model with the same effective_date: one new version, no change lost (the rest 409)', async () => {
    const r = await raceOrg('put_race');
    await r.seed();
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      r.call<Entry & { details?: { reason?: string } }>('PUT', '/openai/pricing/gpt-4o', { input_price_per_1k: (30 + i) / 10000, effective_date: '2026-04-01' })));
    expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
    const won = answers.filter((a) => a.status === 200);
    expect(won.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'concurrent_change')).toBe(true);
    const rows = await r.rows('llm_model_pricing', "model_id = 'gpt-4o' ORDER BY effective_date");
    expect(rows.map((x) => [x.effective_date, x.end_date])).toEqual([['2024-11-01', '2026-03-31'], ['2026-04-01', null]]);
    // Each winner changed the version the one before it wrote: the new version's revision counts them.
    expect(Number(rows[1]!.revision ?? 0)).toBe(won.length - 1);
    expect(won.map((a) => a.body.input_price_per_1k)).toContain(Number(rows[1]!.input_price_per_1k));
  });

  it('20 bulk PATCHes of the same two models with one effective_date: one new version each', async () => {
    const r = await raceOrg('bulk_race');
    await r.seed();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => r.call('PATCH', '/openai/pricing', { updates: [
      { model_id: 'gpt-4o', input_price_per_1k: (30 + i) / 10000, effective_date: '2026-04-01' },
      { model_id: 'o1', output_price_per_1k: (700 + i) / 10000, effective_date: '2026-04-01' },
    ] })));
    expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
    for (const model of ['gpt-4o', 'o1']) {
      const rows = await r.rows('llm_model_pricing', 'model_id = @m ORDER BY effective_date', { m: model });
      expect(rows.map((x) => [x.effective_date, x.end_date]), model).toEqual([['2024-11-01', '2026-03-31'], ['2026-04-01', null]]);
    }
  });

  it('a PUT that read before a DELETE does not bring the deleted price back', async () => {
    const r = await raceOrg('delete_race');
    await r.seed();
    const models = (await r.rows('llm_model_pricing', "provider = 'OPENAI' AND NOT is_custom")).map((x) => String(x.model_id));
    const answers = await Promise.all(models.map(async (m) => {
      const [put, del] = await Promise.all([r.call('PUT', `/openai/pricing/${m}`, { notes: 'race' }), r.call('DELETE', `/openai/pricing/${m}`)]);
      return { m, put: put.status, del: del.status };
    }));
    for (const a of answers) {
      expect([a.put, a.del].filter((s) => ![200, 204, 404, 409].includes(s)), a.m).toEqual([]);
      if (a.del === 204) expect((await r.call('GET', `/openai/pricing/${a.m}`)).status, `${a.m} deleted (PUT ${a.put}), priced again`).toBe(404);
    }
  });
});

describe('LLM subscription PUTs at once', () => {
  it('ten PUTs each changing another field: every field a 200 answered is in the stored row', async () => {
    const r = await raceOrg('sub_race');
    expect((await r.call('POST', '/openai/subscriptions', { plan_name: 'TEAM', quantity: 1, unit_price: 20 })).status).toBe(201);
    const changes: Record<string, unknown>[] = [
      { quantity: 7 }, { rpm_limit: 100 }, { tpm_limit: 200 }, { rpd_limit: 300 }, { tpd_limit: 400 },
      { concurrent_limit: 5 }, { monthly_token_limit: 600 }, { daily_token_limit: 700 }, { commitment_term_months: 12 }, { notes: 'race' },
    ];
    const answers = await Promise.all(changes.map((c) => r.call<{ details?: { reason?: string } }>('PUT', '/openai/subscriptions/TEAM', c)));
    expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'concurrent_change')).toBe(true);
    const [row] = await r.rows('llm_subscriptions', "plan_name = 'TEAM'");
    const lost = changes.filter((c, i) => answers[i]!.status === 200 && Object.entries(c).some(([k, v]) => row![k] !== v));
    expect(lost).toEqual([]);
  });
});
