import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';
import { startProviderStandIns, type ProviderStandIns } from './support/providers.js';

/**
 * Double-clicks on integration setup, on the warehouse mode where mutating statements really
 * overlap and conflict as on BigQuery (no unique constraints; INSERTs do not serialise).
 */
const KEYS = {
  openai: 'sk-proj-raceopenai0000000000001',
  claude: 'sk-ant-api03-raceanthropic000001',
  gemini: 'AIzaRaceGemini000000000000001',
  deepseek: 'sk-racedeepseek00000000000001',
};

let providers: ProviderStandIns;
beforeAll(async () => {
  providers = await startProviderStandIns();
  for (const k of Object.values(KEYS)) providers.accepted.add(k);
});
afterAll(() => providers.close());

async function raceOrg(slug: string, plan: string) {
  const deps = await testDeps({ ...providers.env(), AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
  await bootstrap(deps);
  const key = (await onboard(deps, slug, { subscription_plan: plan as 'FREE' })).api_key;
  const app = buildFunctionApp('integrations', routes, deps);
  const setup = async (provider: string, credential: string) => {
    const res = await app.fetch(new Request(`http://fn/api/v1/integrations/${slug}/${provider}/setup`, {
      method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ credential }),
    }));
    return { status: res.status, body: (await res.json()) as { credential_id?: string; error?: string } };
  };
  const active = () => deps.warehouse.query({
    sql: `SELECT credential_id, provider FROM ${deps.warehouse.table('organizations', 'org_integration_credentials')} WHERE org_slug = @org AND is_active ORDER BY provider`,
    params: { org: slug },
  });
  const status = async () => {
    const res = await app.fetch(new Request(`http://fn/api/v1/integrations/${slug}`, { headers: { 'x-api-key': key } }));
    return ((await res.json()) as { integrations: Record<string, { status: string }> }).integrations;
  };
  return { deps, setup, active, status };
}

describe('30 concurrent setups of one provider', () => {
  it('leave exactly one active credential (never none), and it is one a setup answered with', async () => {
    const s = await raceOrg('race_setup', 'SCALE');
    const answers = await Promise.all(Array.from({ length: 30 }, () => s.setup('openai', KEYS.openai)));
    expect(answers.map((a) => a.status)).toEqual(Array<number>(30).fill(200));
    const active = await s.active();
    expect(active).toHaveLength(1);
    expect(answers.map((a) => a.body.credential_id)).toContain(active[0]!.credential_id);
    expect((await s.status()).OPENAI!.status).toBe('VALID');
  });
});

describe('setups of different providers at once under the plan\'s providers limit', () => {
  it('a FREE org (one provider) keeps at most one, and every 200 is the one kept', async () => {
    const s = await raceOrg('race_limit', 'FREE');
    const answers = await Promise.all(Object.entries(KEYS).map(([p, k]) => s.setup(p, k)));
    const active = await s.active();
    expect(active.length).toBeLessThanOrEqual(1);
    const won = answers.filter((a) => a.status === 200);
    expect(won.map((a) => a.body.credential_id)).toEqual(active.map((r) => r.credential_id));
    expect(answers.filter((a) => a.status !== 200).every((a) => a.status === 403)).toBe(true);
    // After the race the limit still lets the org replace its one provider, or add one if the race left none.
    const again = await s.setup('openai', KEYS.openai);
    expect(again.status).toBe(active.length === 0 || active[0]!.provider === 'OPENAI' ? 200 : 403);
  });
});
