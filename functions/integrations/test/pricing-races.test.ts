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
