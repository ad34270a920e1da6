import { beforeAll, describe, expect, it } from 'vitest';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as hierarchyRoutes } from '../../hierarchy/src/routes.js';
import { subscriptionsApp } from './support/app.js';

/**
 * The CloudAct web app's SaaS calls (actions/subscription-providers.ts over lib/api/backend.ts),
 * played with the exact bodies it sends, in both of its ages:
 * - the older add-plan form sends the plan fields only;
 * - the current one always sends the five hierarchy_* fields and may send source_currency,
 *   source_price, exchange_rate_used and billing_anchor_day; its edit-version may send status;
 *   its billing_cycle may be semi-annual or weekly.
 * Neither age ever calls .../enable (enabling is a flag in the web app's own database), so the
 * first plan of a provider must enable it. Every field the web app reads is checked with the
 * JavaScript type it expects: money is a JSON number (it calls plan.unit_price.toFixed(2)).
 */
let s: Awaited<ReturnType<typeof subscriptionsApp>>;

type Json = Record<string, unknown>;
/** What the web app's code does with a plan it got back: arithmetic on the money fields. */
function readPlanAsWebApp(plan: Json): void {
  expect(typeof plan.org_slug).toBe('string'); // SubscriptionPlan.org_slug: string (required in its type)
  expect(typeof plan.subscription_id).toBe('string');
  expect(typeof plan.provider).toBe('string');
  expect(typeof plan.plan_name).toBe('string');
  expect(typeof plan.category).toBe('string');
  expect(['active', 'cancelled', 'expired', 'pending']).toContain(plan.status);
  expect(typeof plan.billing_cycle).toBe('string');
  expect(typeof plan.currency).toBe('string');
  expect(typeof plan.seats).toBe('number');
  expect(['PER_SEAT', 'FLAT_FEE']).toContain(plan.pricing_model);
  expect(typeof plan.auto_renew).toBe('boolean');
  for (const money of ['unit_price', 'unit_price_usd']) {
    expect(typeof plan[money], money).toBe('number');
    expect(() => (plan[money] as number).toFixed(2)).not.toThrow();
  }
  for (const optional of ['yearly_price', 'discount_value', 'source_price', 'exchange_rate_used']) {
    if (plan[optional] !== null && plan[optional] !== undefined) expect(typeof plan[optional], optional).toBe('number');
  }
}

/** The current add-plan page's body (PlanCreate with the v14 hierarchy and v12.2 currency fields). */
const currentCreate = {
  plan_name: 'TEAM',
  display_name: 'ChatGPT Team',
  unit_price: 2075.5,
  billing_cycle: 'monthly',
  currency: 'INR',
  seats: 10,
  pricing_model: 'PER_SEAT',
  auto_renew: true,
  start_date: '2026-03-11',
  notes: 'added from template',
  hierarchy_entity_id: 'TEAM-PLAT',
  hierarchy_entity_name: 'Platform Team',
  hierarchy_level_code: 'team',
  hierarchy_path: '/DEPT-CTO/PROJ-ENG/TEAM-PLAT',
  hierarchy_path_names: 'CTO > Engineering > Platform',
  source_currency: 'USD',
  source_price: 25,
  exchange_rate_used: 83.02,
  billing_anchor_day: 11,
};

let h: ReturnType<typeof buildFunctionApp>;

beforeAll(async () => {
  s = await subscriptionsApp('webapp_co');
  // The entities the web app's picker offers: a plan's hierarchy fields must name one (hierarchy.ts).
  h = buildFunctionApp('hierarchy', hierarchyRoutes, s.deps);
  for (const e of [
    { entity_id: 'DEPT-CTO', entity_name: 'CTO', level_code: 'c_suite' },
    { entity_id: 'PROJ-ENG', entity_name: 'Engineering', level_code: 'business_unit', parent_id: 'DEPT-CTO' },
    { entity_id: 'TEAM-PLAT', entity_name: 'Platform', level_code: 'function', parent_id: 'PROJ-ENG' },
    { entity_id: 'TEAM-DATA', entity_name: 'Data', level_code: 'function', parent_id: 'PROJ-ENG' },
    { entity_id: 'TEAM-PLAT2', entity_name: 'Platform 2', level_code: 'function', parent_id: 'PROJ-ENG' },
  ]) {
    const res = await h.fetch(new Request('http://fn/api/v1/hierarchy/webapp_co/entities', { method: 'POST', headers: { 'x-api-key': s.key, 'content-type': 'application/json' }, body: JSON.stringify(e) }));
    expect(res.status, await res.clone().text()).toBe(201);
  }
});

describe('the web app (current age) managing SaaS plans', () => {
  let team: Json;

  it('creates the first plan of a catalog provider it never enabled here: 200, the provider is enabled by it', async () => {
    const { status, body } = await s.call<{ success: boolean; plan: Json }>('POST', '/providers/chatgpt_plus/plans', currentCreate);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.success).toBe(true);
    team = body.plan;
    readPlanAsWebApp(team);
    expect(team).toMatchObject({
      unit_price: 2075.5, unit_price_usd: 2075.5, seats: 10, status: 'active',
      // The entity as the tree has it (the web app's 'Platform Team' / 'team' are not what is stored).
      hierarchy_entity_id: 'TEAM-PLAT', hierarchy_entity_name: 'Platform', hierarchy_level_code: 'function',
      hierarchy_path: '/DEPT-CTO/PROJ-ENG/TEAM-PLAT', hierarchy_path_names: ['CTO > Engineering > Platform'],
      source_currency: 'USD', source_price: 25, exchange_rate_used: 83.02, billing_anchor_day: 11,
    });
    const providers = (await s.call<{ providers: Json[] }>('GET', '/providers')).body.providers;
    const p = providers.find((x) => x.provider === 'chatgpt_plus')!;
    expect(p).toMatchObject({ is_enabled: true, plan_count: 1 });
    expect(typeof p.total_monthly_cost).toBe('number');
    expect(p.total_monthly_cost).toBe(20755);
  });

  it('lists the provider\'s plans: money and total_monthly_cost are numbers; the stored hierarchy comes back', async () => {
    const { status, body } = await s.call<{ plans: Json[]; total_monthly_cost: unknown }>('GET', '/providers/chatgpt_plus/plans');
    expect(status).toBe(200);
    expect(body.plans).toHaveLength(1);
    body.plans.forEach(readPlanAsWebApp);
    expect(typeof body.total_monthly_cost).toBe('number');
    expect(body.total_monthly_cost).toBe(20755);
    expect(body.plans[0]!.hierarchy_path_names).toEqual(['CTO > Engineering > Platform']);
  });

  it('creates a custom provider with its first plan (createCustomProviderWithPlan): semi-annual, path names as an array', async () => {
    const { status, body } = await s.call<{ plan: Json }>('POST', '/providers/acme_crm/plans', {
      ...currentCreate, plan_name: 'ENTERPRISE', display_name: 'Acme CRM', unit_price: 60000, seats: 1, pricing_model: 'FLAT_FEE', billing_cycle: 'semi-annual',
      hierarchy_path_names: ['CTO', 'Engineering', 'Platform'], source_currency: undefined, source_price: undefined, exchange_rate_used: undefined, billing_anchor_day: undefined,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    readPlanAsWebApp(body.plan);
    expect(body.plan).toMatchObject({ provider: 'acme_crm', category: 'other', billing_cycle: 'semi-annual', monthly_cost: '10000.00', annual_cost: '120000.00', hierarchy_path_names: ['CTO', 'Engineering', 'Platform'] });
    const providers = (await s.call<{ providers: Json[] }>('GET', '/providers')).body.providers;
    expect(providers.find((x) => x.provider === 'acme_crm')).toMatchObject({ is_custom: true, is_enabled: true, plan_count: 1, total_monthly_cost: 10000 });
  });

  it('a weekly plan: 52 cycles a year', async () => {
    const { status, body } = await s.call<{ plan: Json }>('POST', '/providers/slack/plans', { ...currentCreate, plan_name: 'HUDDLES', unit_price: 120, seats: 3, billing_cycle: 'weekly' });
    expect(status, JSON.stringify(body)).toBe(200);
    readPlanAsWebApp(body.plan);
    expect(body.plan).toMatchObject({ billing_cycle: 'weekly', monthly_cost: '1560.00', annual_cost: '18720.00' });
  });

  it('edit-version with status (the edit form sends it) and the hierarchy: 200, a new version carrying them', async () => {
    const { status, body } = await s.call<{ new_plan: Json; old_plan: Json }>('POST', `/providers/chatgpt_plus/plans/${String(team.subscription_id)}/edit-version`, {
      effective_date: '2026-04-01', seats: 12, unit_price: 2075.5, status: 'active', display_name: 'ChatGPT Team',
      hierarchy_entity_id: 'TEAM-DATA', hierarchy_entity_name: 'Data Team', hierarchy_level_code: 'team', hierarchy_path: '/DEPT-CTO/PROJ-ENG/TEAM-DATA', hierarchy_path_names: 'CTO > Engineering > Data',
    });
    expect(status, JSON.stringify(body)).toBe(200);
    readPlanAsWebApp(body.new_plan);
    readPlanAsWebApp(body.old_plan);
    expect(body.new_plan).toMatchObject({ seats: 12, status: 'pending', hierarchy_entity_id: 'TEAM-DATA', hierarchy_path_names: ['CTO > Engineering > Data'], source_price: 25 });
    expect(body.old_plan).toMatchObject({ end_date: '2026-03-31', hierarchy_entity_id: 'TEAM-PLAT' });
  });

  it('PUT with the hierarchy (updatePlan) changes it in place; status cancelled with end_date ends it (endSubscription)', async () => {
    const put = await s.call<{ plan: Json }>('PUT', `/providers/chatgpt_plus/plans/${String(team.subscription_id)}`, {
      display_name: 'ChatGPT Team (platform)', hierarchy_entity_id: 'TEAM-PLAT2', hierarchy_entity_name: 'Platform 2', hierarchy_level_code: 'team', hierarchy_path: '/DEPT-CTO/TEAM-PLAT2', hierarchy_path_names: 'CTO > Platform 2',
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    readPlanAsWebApp(put.body.plan);
    // The path is the tree's (TEAM-PLAT2 sits under PROJ-ENG), not the one sent.
    expect(put.body.plan).toMatchObject({ hierarchy_entity_id: 'TEAM-PLAT2', hierarchy_path: '/DEPT-CTO/PROJ-ENG/TEAM-PLAT2', hierarchy_path_names: ['CTO > Engineering > Platform 2'] });
  });

  it('all-plans (the costs dashboard): summary.total_* are numbers, plans carry numbers', async () => {
    const { status, body } = await s.call<{ plans: Json[]; summary: Json }>('GET', '/all-plans');
    expect(status).toBe(200);
    body.plans.forEach(readPlanAsWebApp);
    expect(typeof body.summary.total_monthly_cost).toBe('number');
    expect(typeof body.summary.total_annual_cost).toBe('number');
    expect(typeof body.summary.enabled_count).toBe('number');
    expect(typeof body.summary.total_count).toBe('number');
    expect(typeof body.summary.count_by_category).toBe('object');
    // 20755 (TEAM, active) + 10000 (semi-annual) + 1560 (weekly); the pending version does not count yet.
    expect(body.summary.total_monthly_cost).toBe(32315);
    expect(body.summary.total_annual_cost).toBe(249060 + 120000 + 18720);
  });
});

describe('the web app (older age): the plan fields only', () => {
  it('creates the first plan of a provider without hierarchy fields; reads numbers back', async () => {
    const { status, body } = await s.call<{ plan: Json }>('POST', '/providers/figma/plans', {
      plan_name: 'PROFESSIONAL', display_name: 'Figma Professional', unit_price: 1245.75, billing_cycle: 'annual', currency: 'INR', seats: 4, pricing_model: 'PER_SEAT',
      yearly_price: 14949, discount_type: 'percent', discount_value: 10, auto_renew: true, start_date: '2026-03-01',
      source_currency: 'USD', source_price: 15, exchange_rate_used: 83.05,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    readPlanAsWebApp(body.plan);
    expect(body.plan).toMatchObject({ unit_price: 1245.75, yearly_price: 14949, discount_value: 10, hierarchy_entity_id: null, hierarchy_path_names: [] });
    const list = await s.call<{ plans: Json[]; total_monthly_cost: unknown }>('GET', '/providers/figma/plans');
    list.body.plans.forEach(readPlanAsWebApp);
    expect(typeof list.body.total_monthly_cost).toBe('number');
    // Its edit-version: effective_date and the PlanUpdate fields (status among them), no hierarchy.
    const edit = await s.call<{ new_plan: Json; old_plan: Json }>('POST', `/providers/figma/plans/${String(body.plan.subscription_id)}/edit-version`, { effective_date: '2026-04-01', seats: 5, status: 'active', notes: 'two more' });
    expect(edit.status, JSON.stringify(edit.body)).toBe(200);
    readPlanAsWebApp(edit.body.new_plan);
    expect(edit.body.new_plan).toMatchObject({ seats: 5, source_price: 15, exchange_rate_used: 83.05 });
  });

  it('a provider with no plans yet lists total_monthly_cost 0 (a number)', async () => {
    const list = await s.call<{ plans: Json[]; total_monthly_cost: unknown }>('GET', '/providers/notion/plans');
    expect(list.body.total_monthly_cost).toBe(0);
  });
});

describe('money on the wire', () => {
  const raw = async (path: string, body: unknown) => {
    const res = await s.app.fetch(new Request(`http://fn/api/v1/subscriptions/webapp_co${path}`, { method: 'POST', headers: { 'x-api-key': s.key, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    return { status: res.status, text: await res.text() };
  };

  it('is the exact decimal as a JSON number literal (10.10 → 10.1; 15 significant digits kept exactly)', async () => {
    const a = await raw('/providers/miro/plans', { plan_name: 'TEN', unit_price: '10.10', currency: 'USD' });
    expect(a.status, a.text).toBe(200);
    expect(a.text).toContain('"unit_price":10.1,');
    expect(a.text).toContain('"unit_price_exact":"10.10"');
    const b = await raw('/providers/miro/plans', { plan_name: 'BIG', unit_price: '1234567890.12345', currency: 'USD' });
    expect(b.status, b.text).toBe(200);
    expect(b.text).toContain('"unit_price":1234567890.12345,');
  });

  it('refuses an amount a JSON number cannot carry exactly (more than 15 significant digits): 422, never rounded', async () => {
    const c = await raw('/providers/miro/plans', { plan_name: 'HUGE', unit_price: '1234567890.123456789', currency: 'USD' });
    expect(c.status, c.text).toBe(422);
    expect(c.text).toMatch(/15 significant digits/);
  });
});

describe('the web app\'s other SaaS actions', () => {
  it('getAvailablePlans: template prices are numbers', async () => {
    const { status, body } = await s.call<{ success: boolean; plans: Json[] }>('GET', '/providers/slack/available-plans');
    expect(status).toBe(200);
    for (const p of body.plans) {
      expect(typeof p.unit_price).toBe('number');
      expect(typeof p.seats).toBe('number');
      if (p.yearly_price !== null) expect(typeof p.yearly_price).toBe('number');
      if (p.discount_value !== null) expect(typeof p.discount_value).toBe('number');
    }
  });

  it('togglePlan (PUT status cancelled, then active), endSubscription (PUT end_date + status cancelled), deletePlan (DELETE)', async () => {
    const plan = (await s.call<{ plan: Json }>('POST', '/providers/zoom/plans', { ...currentCreate, plan_name: 'PRO', unit_price: 1300, seats: 2 })).body.plan;
    const path = `/providers/zoom/plans/${String(plan.subscription_id)}`;
    const off = await s.call<{ plan: Json }>('PUT', path, { status: 'cancelled' });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    readPlanAsWebApp(off.body.plan);
    expect(off.body.plan.status).toBe('cancelled');
    const on = await s.call<{ plan: Json }>('PUT', path, { status: 'active' });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    expect(on.body.plan.status).toBe('active');
    const ended = await s.call<{ plan: Json }>('PUT', path, { end_date: '2026-04-30', status: 'cancelled' });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    readPlanAsWebApp(ended.body.plan);
    expect(ended.body.plan).toMatchObject({ end_date: '2026-04-30', status: 'cancelled' });
    expect((await s.call('DELETE', path)).status).toBe(200);
  });

  it('disableProvider (its own flag, then GET the plans and DELETE each) and resetProvider (POST, no body)', async () => {
    const plans = (await s.call<{ plans: Json[] }>('GET', '/providers/slack/plans')).body.plans;
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) expect((await s.call('DELETE', `/providers/slack/plans/${String(p.subscription_id)}`)).status).toBe(200);
    const res = await s.app.fetch(new Request('http://fn/api/v1/subscriptions/webapp_co/providers/slack/reset', { method: 'POST', headers: { 'x-api-key': s.key, 'content-type': 'application/json' } }));
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { plans_seeded: unknown };
    expect(typeof body.plans_seeded).toBe('number');
    const providers = (await s.call<{ providers: Json[] }>('GET', '/providers')).body.providers;
    for (const p of providers) {
      expect(typeof p.plan_count).toBe('number');
      expect(typeof p.is_enabled).toBe('boolean');
    }
  });
});

describe('a plan names an entity of the current hierarchy', () => {
  it('an unknown entity is 422 naming hierarchy_entity_id on create, PUT and edit-version; names without an entity are 422; an empty entity clears all five', async () => {
    const bad = { ...currentCreate, plan_name: 'GHOST', hierarchy_entity_id: 'TEAM-NOPE' };
    for (const [method, path, body] of [
      ['POST', '/providers/notion/plans', bad],
      ['PUT', `/providers/slack/plans/${(await s.call<{ plans: Json[] }>('GET', '/providers/slack/plans')).body.plans[0]!.subscription_id as string}`, { hierarchy_entity_id: 'TEAM-NOPE' }],
    ] as const) {
      const res = await s.call<{ detail: string }>(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(422);
      expect(res.body.detail).toContain('hierarchy_entity_id');
    }
    const names = await s.call<{ detail: string }>('POST', '/providers/notion/plans', { ...currentCreate, plan_name: 'NAMES', hierarchy_entity_id: undefined, hierarchy_entity_name: 'Somebody' });
    expect(names.status).toBe(422);
    const slack = (await s.call<{ plans: Json[] }>('GET', '/providers/slack/plans')).body.plans[0]!;
    const cleared = await s.call<{ plan: Json }>('PUT', `/providers/slack/plans/${String(slack.subscription_id)}`, { hierarchy_entity_id: '' });
    expect(cleared.status).toBe(200);
    expect(cleared.body.plan).toMatchObject({ hierarchy_entity_id: null, hierarchy_path: null, hierarchy_path_names: [] });
  });

  it('what a plan shows of its entity follows a rename and a move in the tree', async () => {
    const hier = async (method: string, path: string, body: unknown) => h.fetch(new Request(`http://fn/api/v1/hierarchy/webapp_co${path}`, { method, headers: { 'x-api-key': s.key, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
    expect((await hier('PUT', '/entities/TEAM-PLAT2', { entity_name: 'Platform Two' })).status).toBe(200);
    const created = await hier('POST', '/entities', { entity_id: 'PROJ-OPS', entity_name: 'Operations', level_code: 'business_unit', parent_id: 'DEPT-CTO' });
    expect(created.status).toBe(201);
    expect((await hier('POST', '/entities/TEAM-PLAT2/move', { new_parent_id: 'PROJ-OPS' })).status).toBe(200);
    const plan = (await s.call<{ plans: Json[] }>('GET', '/providers/chatgpt_plus/plans')).body.plans.find((p) => p.hierarchy_entity_id === 'TEAM-PLAT2')!;
    expect(plan).toMatchObject({ hierarchy_entity_name: 'Platform Two', hierarchy_path: '/DEPT-CTO/PROJ-OPS/TEAM-PLAT2', hierarchy_path_names: ['CTO > Operations > Platform Two'] });
    const all = (await s.call<{ plans: Json[] }>('GET', '/all-plans')).body.plans.find((p) => p.hierarchy_entity_id === 'TEAM-PLAT2')!;
    expect(all.hierarchy_path).toBe('/DEPT-CTO/PROJ-OPS/TEAM-PLAT2');
  });
});
