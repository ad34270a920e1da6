import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorld, CREDENTIALS, ORGS, type World } from './support/route-matrix-cases.js';

/**
 * The CloudAct web app's calls of issue 15 played in one place, as the web app sends them: over
 * HTTP (a real socket) through the local gateway that routes to every function, with its headers
 * (JSON content type and a request id always, X-API-Key for org calls), its paths, query strings
 * and bodies, in both ages where they differ. Each call must be 2xx and carry every field the web
 * app reads with the JavaScript type it uses. Onboarding's calls (bootstrap status, dry run, the
 * 409 phrase and regenerate, api-key, quota, rotate) are played the same way in
 * test/webapp-onboarding.test.ts; the per-function webapp tests go deeper into each area.
 *
 * The world (test/support/route-matrix-cases.ts): `main` is an INR org in Asia/Kolkata with 30
 * seeded days of cloud, LLM and SaaS costs; `spare` is an empty USD org where the mutations go.
 */
let w: World;
let base: string;
let stop: () => void;

beforeAll(async () => {
  w = await buildWorld();
  const { server, url } = await w.gateway.listen(0);
  base = url;
  stop = () => server.close();
}, 120_000);
afterAll(async () => {
  stop?.();
  await w?.close();
});

type Obj = Record<string, any>;
type Kind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'string|null';

async function call(method: string, path: string, org: 'main' | 'spare', body?: unknown): Promise<{ status: number; body: Obj }> {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', 'X-Request-ID': `req_${Date.now().toString(36)}_webapp`, 'X-API-Key': w.keys[org] },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Obj };
}

/** A call the web app expects to succeed: 2xx, or the test says which call and what came back. */
async function ok(method: string, path: string, org: 'main' | 'spare', body?: unknown): Promise<Obj> {
  const res = await call(method, path, org, body);
  expect(res.status >= 200 && res.status < 300, `${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
  return res.body;
}

function fields(where: string, o: unknown, want: Record<string, Kind>): void {
  expect(o, where).toBeTypeOf('object');
  for (const [f, kind] of Object.entries(want)) {
    const v = (o as Obj)[f];
    const good = kind === 'array' ? Array.isArray(v)
      : kind === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
        : kind === 'string|null' ? v === null || typeof v === 'string'
          : typeof v === kind && (kind !== 'number' || Number.isFinite(v));
    expect(good, `${where}.${f} should be ${kind}, got ${JSON.stringify(v)}`).toBe(true);
  }
}

const main = () => ORGS.main;
const spare = () => ORGS.spare;
const RANGE = 'start_date=2026-03-01&end_date=2026-03-20';
const HIER = 'hierarchy_entity_id=TEAM-DATA&hierarchy_path=%2FDEPT-CIO%2FPROJ-CTO%2FTEAM-DATA';
const ALLOCATION = {
  default_x_hierarchy_entity_id: 'TEAM-DATA', default_x_hierarchy_entity_name: 'Data', default_x_hierarchy_level_code: 'function',
  default_x_hierarchy_path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA', default_x_hierarchy_path_names: ['CIO', 'CTO', 'Data'],
};

describe('the web app through the local gateway', () => {
  it('hierarchy the later pages create first (the allocation targets below exist)', async () => {
    const h = `/api/v1/hierarchy/${spare()}/entities`;
    await ok('POST', h, 'spare', { entity_id: 'DEPT-CIO', entity_name: 'CIO', level_code: 'c_suite' });
    await ok('POST', h, 'spare', { entity_id: 'PROJ-CTO', entity_name: 'CTO', level_code: 'business_unit', parent_id: 'DEPT-CIO' });
    await ok('POST', h, 'spare', { entity_id: 'TEAM-DATA', entity_name: 'Data', level_code: 'function', parent_id: 'PROJ-CTO' });
  });

  it('integrations: setup (skip_validation false, default allocation), status with validation_status, metadata PUT with skip_validation true', async () => {
    const i = `/api/v1/integrations/${spare()}`;
    const setup = await ok('POST', `${i}/openai/setup`, 'spare', { credential: CREDENTIALS.openai, credential_name: 'Prod key', skip_validation: false, ...ALLOCATION });
    expect(setup).toMatchObject({ success: true, validation_status: 'VALID' });
    const list = await ok('GET', i, 'spare');
    const openai = list.integrations.OPENAI as Obj;
    fields('integrations.OPENAI', openai, { status: 'string', validation_status: 'string' });
    expect(openai.validation_status).toBe(openai.status);
    const put = await ok('PUT', `${i}/openai`, 'spare', { metadata: { billing_export_table: 'proj.ds.gcp_billing_export_v1' }, skip_validation: true });
    expect(put).toMatchObject({ validation_status: 'VALID', metadata: { billing_export_table: 'proj.ds.gcp_billing_export_v1' } });
  });

  it('SaaS: the first plan of a provider never enabled (the current add-plan body), money as numbers, all-plans summary numbers', async () => {
    const s = `/api/v1/subscriptions/${spare()}`;
    const created = await ok('POST', `${s}/providers/chatgpt_plus/plans`, 'spare', {
      plan_name: 'TEAM', display_name: 'ChatGPT Team', unit_price: 25, billing_cycle: 'semi-annual', currency: 'USD', seats: 4, pricing_model: 'PER_SEAT',
      auto_renew: true, start_date: '2026-03-01', notes: 'from template', hierarchy_entity_id: 'TEAM-DATA', hierarchy_entity_name: 'Data',
      hierarchy_level_code: 'function', hierarchy_path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA', hierarchy_path_names: 'CIO > CTO > Data',
      source_currency: 'USD', source_price: 25, exchange_rate_used: 1, billing_anchor_day: 1,
    });
    fields('plan', created.plan, { subscription_id: 'string', unit_price: 'number', unit_price_usd: 'number', seats: 'number', billing_cycle: 'string', currency: 'string' });
    expect(() => (created.plan.unit_price as number).toFixed(2)).not.toThrow();
    const plans = await ok('GET', `${s}/providers/chatgpt_plus/plans`, 'spare');
    fields('plans', plans, { plans: 'array', total_monthly_cost: 'number' });
    const all = await ok('GET', `${s}/all-plans`, 'spare');
    fields('all-plans', all, { plans: 'array', summary: 'object' });
    for (const [k, v] of Object.entries(all.summary as Obj)) if (k.startsWith('total_')) expect(typeof v, `summary.${k}`).toBe('number');
    const providers = await ok('GET', `${s}/providers`, 'spare');
    expect((providers.providers as Obj[]).find((p) => p.provider === 'chatgpt_plus')?.is_enabled).toBe(true);
  });

  it('costs /total: both name sets, each with the fields the dashboard reads; the three parts add up to the total', async () => {
    const b = await ok('GET', `/api/v1/costs/${main()}/total?${RANGE}`, 'main');
    for (const name of ['subscription', 'cloud', 'genai', 'saas', 'llm']) {
      fields(`total.${name}`, b[name], { total_daily_cost: 'number', total_monthly_cost: 'number', total_annual_cost: 'number', total_billed_cost: 'number', mtd_cost: 'number', record_count: 'number', providers: 'array' });
    }
    fields('total.total', b.total, { total_monthly_cost: 'number', total_billed_cost: 'number' });
    expect(b.subscription.total_billed_cost + b.cloud.total_billed_cost + b.genai.total_billed_cost).toBeCloseTo(b.total.total_billed_cost, 2);
  });

  it('costs /trend-granular (days and range): rows per local day with the hierarchy fields, summary.available_filters', async () => {
    for (const q of ['days=365', `${RANGE}&clear_cache=true`]) {
      const b = await ok('GET', `/api/v1/costs/${main()}/trend-granular?${q}`, 'main');
      expect(b.data.length, q).toBeGreaterThan(0);
      fields(`trend-granular?${q} row`, b.data[0], { date: 'string', provider: 'string', category: 'string', total_cost: 'number', record_count: 'number', hierarchy_entity_id: 'string|null', hierarchy_path: 'string|null' });
      fields(`trend-granular?${q} summary`, b.summary, { total_cost: 'number', record_count: 'number', granular_rows: 'number', date_range: 'object', available_filters: 'object' });
      fields('available_filters', b.summary.available_filters, { providers: 'array', categories: 'array', departments: 'array', projects: 'array', teams: 'array' });
    }
  });

  it('the dashboard filters (hierarchy, the web app category names, category= on /trend) are accepted on the cost routes', async () => {
    for (const path of [
      `/summary?${RANGE}&${HIER}`, `/summary?${RANGE}&department_id=DEPT-CIO&project_id=PROJ-CTO&team_id=TEAM-DATA`,
      `/by-provider?${RANGE}&service_categories=genai,cloud,subscription`, `/trend?granularity=daily&days=30&category=genai&${HIER}`,
    ]) await ok('GET', `/api/v1/costs/${main()}${path}`, 'main');
  });

  it('row shapes: trend rows carry date, by-service rows service_name and service_category, saas rows ServiceCategory and the charge period, genai rows the FOCUS fields', async () => {
    const c = `/api/v1/costs/${main()}`;
    const trend = await ok('GET', `${c}/trend?granularity=daily&days=30`, 'main');
    fields('trend row', trend.data[0], { date: 'string', period: 'string' });
    const bySvc = await ok('GET', `${c}/by-service?${RANGE}`, 'main');
    fields('by-service row', bySvc.data[0], { service_name: 'string', service_category: 'string' });
    const saas = await ok('GET', `${c}/saas-subscriptions?${RANGE}`, 'main');
    fields('saas row', saas.data[0], { ServiceCategory: 'string', ChargePeriodStart: 'string', ChargePeriodEnd: 'string' });
    fields('saas summary', saas.summary, { total_billed_cost: 'number', record_count: 'number' });
    const genai = await ok('GET', `${c}/genai?${RANGE}`, 'main');
    fields('genai row', genai.data[0], { ServiceProviderName: 'string', ServiceName: 'string', ChargePeriodStart: 'string', BilledCost: 'number', EffectiveCost: 'number' });
  });

  it('errors the web app shows: a 422 names the failing field in detail', async () => {
    const res = await call('POST', `/api/v1/subscriptions/${spare()}/providers/slack/plans`, 'spare', { plan_name: 'PRO', unit_price: -1, seats: 1, currency: 'USD', start_date: '2026-03-01' });
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(/unit_price/);
  });
});
