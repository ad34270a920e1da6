import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ROOT_KEY } from '../shared/test/support/deps.js';
import { referenceEngine } from '../shared/test/support/duck-reference.js';
import { buildWorld, ORGS, RANGE, type World } from './support/route-matrix-cases.js';

/**
 * Issue 21's journey over HTTP (a real socket) through the local gateway, with the web app's
 * bodies: seed the GenAI defaults, add a custom price in each flow (the add flow reads its
 * pricing_id), override input and output of one model in one region and see the others
 * unchanged, a stale override 409, GenAI costs of the seeded LLM usage agreeing with SQL to the
 * paisa in the org's currency (INR), and chat settings saved twice at once leaving one active row.
 */
let w: World;
let base: string;
let stop: () => void;
let ref: Awaited<ReturnType<typeof referenceEngine>>;
const ORG = ORGS.main;

beforeAll(async () => {
  w = await buildWorld();
  const { server, url } = await w.gateway.listen(0);
  base = url;
  stop = () => server.close();
  ref = await referenceEngine(w.deps.warehouse, `${ORG}_prod`);
}, 120_000);
afterAll(async () => {
  ref?.close();
  stop?.();
  await w?.close();
});

type Obj = Record<string, any>;
async function call(method: string, path: string, body?: unknown, root = false): Promise<{ status: number; body: Obj }> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Request-ID': `req_${Date.now().toString(36)}_genai`, ...(root ? { 'X-CA-Root-Key': TEST_ROOT_KEY } : { 'X-API-Key': w.keys.main }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Obj };
}
const P = `/genai/${ORG}/pricing`;

describe('GenAI pricing and chat settings over the gateway', () => {
  it('seed, a custom price per flow, an override of one model in one region, a stale override 409', async () => {
    const seeded = await call('POST', `${P}/seed-defaults`, undefined, true);
    expect(seeded.status).toBe(200);
    expect(seeded.body.seeded.commitment).toBeGreaterThan(0);

    const customs = [
      ['payg', { provider: 'openai', model: 'gpt-journey', input_per_1m: 1.1, output_per_1m: 4.4 }],
      ['commitment', { provider: 'azure_openai', model: 'gpt-journey', region: 'eastus', commitment_type: 'ptu', ptu_hourly_rate: 2, ptu_monthly_rate: 1460 }],
      ['infrastructure', { provider: 'azure_gpu', instance_type: 'ND-journey', region: 'eastus', resource_type: 'gpu', hourly_rate: 12.5 }],
    ] as const;
    for (const [flow, body] of customs) {
      const res = await call('POST', `${P}/${flow}`, body);
      expect(res.status, `${flow}: ${JSON.stringify(res.body)}`).toBe(201);
      expect(res.body.pricing_id).toMatch(/^[0-9a-f-]{36}$/);
      const listed = await call('GET', `${P}/${flow}?provider=${body.provider}`);
      expect(listed.body.data.some((r: Obj) => r.pricing_id === res.body.pricing_id)).toBe(true);
    }

    const before = (await call('GET', `${P}/payg`)).body.data as Obj[];
    const target = before.find((r) => r.provider === 'aws_bedrock' && r.model === 'claude-3-5-sonnet-v2' && r.region === 'us-east-1')!;
    const put = await call('PUT', `${P}/payg/claude-3-5-sonnet-v2/override?provider=aws_bedrock&region=us-east-1`, { override_value: 2.7, override_output_value: 13.5, notes: 'EDP', effective_from: '2026-03-21', expected_last_updated: target.last_updated });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ input_per_1m: 2.7, output_per_1m: 13.5, is_override: true });
    const after = (await call('GET', `${P}/payg`)).body.data as Obj[];
    const eu = (l: Obj[]) => l.find((r) => r.provider === 'aws_bedrock' && r.model === 'claude-3-5-sonnet-v2' && r.region === 'eu-west-1');
    expect(eu(after)).toEqual(eu(before));
    expect(after.filter((r) => r.pricing_id !== target.pricing_id && r.pricing_id !== put.body.pricing_id)).toEqual(before.filter((r) => r.pricing_id !== target.pricing_id));
    const stale = await call('PUT', `${P}/payg/claude-3-5-sonnet-v2/override?provider=aws_bedrock&region=us-east-1`, { override_value: 1, expected_last_updated: target.last_updated });
    expect(stale.status).toBe(409);
  });

  it('GenAI costs of the seeded LLM usage agree with SQL to the paisa in INR', async () => {
    const summary = await call('GET', `/genai/${ORG}/costs/summary?start_date=${RANGE.start_date}&end_date=${RANGE.end_date}`);
    expect(summary.status).toBe(200);
    const [sql] = await ref.rows<{ total: number }>(`WITH r AS (
        SELECT CAST(timezone('Asia/Kolkata', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE) AS day, BillingCurrency AS cur, EffectiveCost FROM ledger WHERE x_CostCategory = 'llm')
      SELECT SUM(CAST(r.EffectiveCost AS DOUBLE) * t.per_eur / s.per_eur) AS total
      FROM r ASOF JOIN rates s ON s.currency = r.cur AND s.date <= r.day ASOF JOIN rates t ON t.currency = 'INR' AND t.date <= r.day
      WHERE day BETWEEN DATE '${RANGE.start_date}' AND DATE '${RANGE.end_date}'`);
    expect(summary.body.currency).toBe('INR');
    expect(sql!.total).toBeGreaterThan(0);
    expect(summary.body.data.total_cost).toBe(Math.round(sql!.total * 100) / 100);
  });

  it('chat settings saved twice at once leave one active row', async () => {
    const body = { provider: 'OPENAI', model_id: 'gpt-4o', temperature: 0.4 };
    const [a, b] = await Promise.all([call('POST', `/chat-settings/${ORG}`, body), call('POST', `/chat-settings/${ORG}`, body)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const active = await w.deps.warehouse.query({ sql: `SELECT setting_id FROM ${w.deps.warehouse.table('organizations', 'org_chat_settings')} WHERE org_slug = @org AND is_active`, params: { org: ORG } });
    expect(active).toHaveLength(1);
    const got = await call('GET', `/chat-settings/${ORG}`);
    expect(got.body.setting_id).toBe(active[0]!.setting_id);
    const providers = await call('GET', `/chat-settings/${ORG}/providers`);
    expect(providers.body.providers.find((p: Obj) => p.provider === 'OPENAI')).toMatchObject({ has_credential: true });
  });
});
