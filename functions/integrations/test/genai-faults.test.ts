import { describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { routes } from '../src/routes.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { bootstrap, onboard } from '../../../shared/test/support/orgs.js';
import { startProviderStandIns } from './support/providers.js';

/**
 * The GenAI custom-price create and the chat-settings save at every warehouse call, failing
 * before it reaches the warehouse or after it did its work (answer lost): the answer is 201 or
 * 503 (never 500), and what is left is one row or none; a 201 always has its row, and a repeat
 * afterwards is consistent (409 / one active row).
 */
async function faultyWorld(slug: string, env: Record<string, string> = {}) {
  const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
  const deps = await testDeps({ ...env, AUTH_FAILURES_PER_MINUTE: '100000' }, { warehouse: faulty });
  await bootstrap(deps);
  const key = (await onboard(deps, slug)).api_key;
  const app = buildFunctionApp('integrations', routes, deps);
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.fetch(new Request(`http://fn/api/v1${path}`, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  return { faulty, deps, call };
}

describe('GenAI create under faults', () => {
  it('at each call, before or after: 201 with its row, or 503 with none', async () => {
    const w = await faultyWorld('gfault_co');
    await w.call('GET', '/genai/gfault_co/pricing/infrastructure'); // warm the key and profile caches
    const rows = async (id: string) => (await w.deps.warehouse.query({ sql: `SELECT pricing_id FROM ${w.deps.warehouse.table('gfault_co_prod', 'genai_infrastructure_pricing')} WHERE instance_type = @id`, params: { id } })).length;
    const seen: number[] = [];
    for (const mode of ['before', 'after'] as const) {
      for (let at = 1; at <= 5; at++) {
        const id = `fault-${mode}-${at}`;
        w.faulty.armAt(at, mode);
        const res = await w.call('POST', '/genai/gfault_co/pricing/infrastructure', { provider: 'gcp_gpu', instance_type: id, region: 'us-central1', resource_type: 'gpu', hourly_rate: 1 });
        w.faulty.heal();
        expect([201, 503], `${mode} ${at}: ${JSON.stringify(res.body)}`).toContain(res.status);
        const left = await rows(id);
        if (res.status === 201) expect(left, `${mode} ${at}`).toBe(1);
        expect(left, `${mode} ${at}`).toBeLessThanOrEqual(1);
        // The client's retry: 409 when the first one landed (even if its answer was lost), else 201.
        const again = await w.call('POST', '/genai/gfault_co/pricing/infrastructure', { provider: 'gcp_gpu', instance_type: id, region: 'us-central1', resource_type: 'gpu', hourly_rate: 1 });
        expect(again.status, `${mode} ${at} repeat`).toBe(left === 1 ? 409 : 201);
        expect(await rows(id)).toBe(1);
        seen.push(res.status);
      }
    }
    expect(seen).toHaveLength(10);
    expect(seen).toContain(503); // the faults did reach the create
    expect(seen).toContain(201); // a lost MERGE answer is read back as a success
  });
});

describe('chat settings save under faults', () => {
  it('at each call, before or after: 201 or 503, never two active rows, and a 201 is the active one', async () => {
    const providers = await startProviderStandIns();
    providers.accepted.add('sk-proj-faultopenai000000000001');
    try {
      const w = await faultyWorld('cfault_co', providers.env());
      expect((await w.call('POST', '/integrations/cfault_co/openai/setup', { credential: 'sk-proj-faultopenai000000000001' })).status).toBe(200);
      const active = async () => (await w.deps.warehouse.query({ sql: `SELECT setting_id FROM ${w.deps.warehouse.table('organizations', 'org_chat_settings')} WHERE org_slug = 'cfault_co' AND is_active` })).map((r) => String(r.setting_id));
      const seen: number[] = [];
      for (const mode of ['before', 'after'] as const) {
        for (let at = 1; at <= 5; at++) {
          w.faulty.armAt(at, mode);
          const res = await w.call('POST', '/chat-settings/cfault_co', { provider: 'OPENAI', model_id: 'gpt-4o', max_tokens: 1000 + at });
          w.faulty.heal();
          expect([201, 503], `${mode} ${at}: ${JSON.stringify(res.body)}`).toContain(res.status);
          const now = await active();
          expect(now.length, `${mode} ${at}`).toBeLessThanOrEqual(1);
          if (res.status === 201) expect(now).toEqual([res.body!.setting_id]);
          seen.push(res.status);
        }
      }
      expect(seen).toContain(503);
    } finally {
      await providers.close();
    }
  });
});
