import { beforeAll, describe, expect, it } from 'vitest';
import { subscriptionsApp, type PlanBody, type PlansBody } from './support/app.js';

/** Happy and error cases of every subscriptions route, through HTTP on in-memory DuckDB. */
let s: Awaited<ReturnType<typeof subscriptionsApp>>;

type Err = { error: string; message: string; details?: { reason?: string; fields?: Record<string, string[]> } };
const create = (provider: string, body: Record<string, unknown>) => s.call<{ plan: PlanBody } & Err>('POST', `/providers/${provider}/plans`, body);
const list = async (provider: string, query = '') => (await s.call<PlansBody>('GET', `/providers/${provider}/plans${query}`)).body;

beforeAll(async () => {
  s = await subscriptionsApp('plans_co');
  await s.call('POST', '/providers/figma/enable', {});
  await s.call('POST', '/providers/notion/enable', {});
});

describe('providers', () => {
  it('a name not in the catalog is enabled as a custom provider (category other unless given); no catalog plans', async () => {
    expect((await s.call('POST', '/providers/acme_tool/enable', { seed_plans: true, category: 'design', display_name: 'Acme Tool' })).body)
      .toMatchObject({ success: true, provider: 'acme_tool', plans_seeded: 0, message: expect.stringMatching(/custom provider/) });
    await s.call('POST', '/providers/other_tool/enable', {});
    const { body, log } = await s.call<{ providers: { provider: string; is_custom: boolean; is_enabled: boolean; category: string; display_name: string }[]; total: number }>('GET', '/providers');
    expect(log.warehouse_depth).toBe(1);
    expect(body.total).toBe(27);
    expect(body.providers.find((p) => p.provider === 'acme_tool')).toMatchObject({ is_custom: true, is_enabled: true, category: 'design', display_name: 'Acme Tool' });
    expect(body.providers.find((p) => p.provider === 'other_tool')).toMatchObject({ category: 'other' });
    expect(body.providers.find((p) => p.provider === 'figma')).toMatchObject({ is_custom: false, is_enabled: true, category: 'design' });
  });

  it('refuses a category not in categories.yml (422), an invalid name (422); a custom provider has no available plans (404)', async () => {
    const bad = await s.call<Err>('POST', '/providers/x_tool/enable', { category: 'gadgets' });
    expect(bad.status).toBe(422);
    expect(bad.body.details?.fields?.['body.category']?.[0]).toMatch(/one of ai, design/);
    expect((await s.call('POST', '/providers/Bad-Name/enable', {})).status).toBe(422);
    expect((await s.call('GET', '/providers/acme_tool/available-plans')).status).toBe(404);
  });

  it('available-plans: the catalog\'s templates, money exact', async () => {
    const { body } = await s.call<{ plans: { plan_name: string; unit_price: number; unit_price_usd: number; yearly_price: number | null; pricing_model: string }[] }>('GET', '/providers/slack/available-plans');
    expect(body.plans.find((p) => p.plan_name === 'PRO')).toMatchObject({ unit_price: 8.75, unit_price_usd: 8.75, unit_price_exact: '8.75', yearly_price: 105, pricing_model: 'PER_SEAT' });
  });

  it('disable ends every open plan today (rows kept) and marks the provider disabled', async () => {
    await s.call('POST', '/providers/zoom/enable', { seed_plans: true });
    await create('zoom', { plan_name: 'PRO', unit_price: '15.99', currency: 'USD' });
    const { body } = await s.call('POST', '/providers/zoom/disable');
    expect(body).toMatchObject({ success: true, provider: 'zoom', plans_ended: 4 });
    const after = await list('zoom');
    expect(after.plans).toHaveLength(4);
    expect(after.plans.every((p) => p.status === 'cancelled' && p.end_date === '2026-03-11')).toBe(true);
    const providers = (await s.call<{ providers: { provider: string; is_enabled: boolean }[] }>('GET', '/providers')).body.providers;
    expect(providers.find((p) => p.provider === 'zoom')!.is_enabled).toBe(false);
    expect((await create('zoom', { plan_name: 'BUSINESS', unit_price: '1' })).body.details?.reason).toBe('provider_not_enabled');
  });

  it('reset: the org\'s own plans end today, the catalog\'s are added disabled; answers like enable', async () => {
    await s.call('POST', '/providers/miro/enable', {});
    await create('miro', { plan_name: 'OWN', unit_price: '5', currency: 'USD' });
    const { body } = await s.call('POST', '/providers/miro/reset');
    expect(body).toMatchObject({ success: true, provider: 'miro', plans_seeded: 3, plans_ended: 1 });
    const rows = (await list('miro')).plans;
    expect(rows.filter((p) => p.status === 'active').map((p) => [p.plan_name, p.is_enabled]).sort()).toEqual([['BUSINESS', false], ['FREE', false], ['STARTER', false]]);
    expect(rows.find((p) => p.plan_name === 'OWN')).toMatchObject({ status: 'cancelled', end_date: '2026-03-11' });
    expect((await s.call('POST', '/providers/acme_tool/reset')).status).toBe(404);
  });
});

describe('creating plans', () => {
  it('409 when an enabled plan of that name is open for the provider; a disabled one does not block', async () => {
    expect((await create('figma', { plan_name: 'PROFESSIONAL', pricing_model: 'PER_SEAT', seats: 3, unit_price: '15', currency: 'USD' })).status).toBe(200);
    const again = await create('figma', { plan_name: 'professional', unit_price: '15' });
    expect(again.status).toBe(409);
    expect(again.body.details?.reason).toBe('plan_name_taken');
    expect((await create('figma', { plan_name: 'PROFESSIONAL', unit_price: '15', is_enabled: false })).status).toBe(200);
    // Dates that do not overlap are not the same plan twice.
    expect((await create('figma', { plan_name: 'ORGANIZATION', unit_price: '45', start_date: '2026-01-01', end_date: '2026-02-28' })).status).toBe(200);
    expect((await create('figma', { plan_name: 'ORGANIZATION', unit_price: '45' })).status).toBe(200);
  });

  it('unit_price_usd is another name of unit_price; the org\'s currency is the default; money stays exact', async () => {
    const { status, body } = await create('notion', { plan_name: 'PLUS', pricing_model: 'PER_SEAT', seats: 3, unit_price_usd: '10.10', yearly_price_usd: 121.2 });
    expect(status).toBe(200);
    expect(body.plan).toMatchObject({ currency: 'INR', unit_price: 10.1, unit_price_usd: 10.1, unit_price_exact: '10.10', monthly_cost: '30.30', annual_cost: '363.60' });
  });

  it.each([
    ['no price', { plan_name: 'A' }, 'body.unit_price'],
    ['both price names', { plan_name: 'A', unit_price: '1', unit_price_usd: '1' }, 'body'],
    ['a negative price', { plan_name: 'A', unit_price: '-1' }, 'body.unit_price'],
    ['more than 9 decimals', { plan_name: 'A', unit_price: '0.1234567891' }, 'body.unit_price'],
    ['a percent discount over 100', { plan_name: 'A', unit_price: '1', discount_type: 'percent', discount_value: '101' }, 'body.discount_value'],
    ['a discount without its type', { plan_name: 'A', unit_price: '1', discount_value: '5' }, 'body.discount_value'],
    ['a bad plan name', { plan_name: 'no spaces', unit_price: '1' }, 'body.plan_name'],
    ['an unknown currency', { plan_name: 'A', unit_price: '1', currency: 'XYZ' }, 'body.currency'],
    ['an end before the start', { plan_name: 'A', unit_price: '1', start_date: '2026-05-01', end_date: '2026-04-01' }, 'body.end_date'],
    ['an impossible date', { plan_name: 'A', unit_price: '1', start_date: '2026-02-30' }, 'body.start_date'],
    ['an unknown field', { plan_name: 'A', unit_price: '1', colour: 'blue' }, 'body.colour'],
  ])('422 for %s', async (_name, body, field) => {
    const res = await create('notion', body);
    expect(res.status).toBe(422);
    expect(Object.keys(res.body.details?.fields ?? {})).toContain(field);
  });

  it('the first plan of a provider never enabled enables it (catalog, or a valid custom name); a provider disabled here stays 409', async () => {
    expect((await create('nobody_tool', { plan_name: 'A', unit_price: '1', is_enabled: false })).status).toBe(200);
    expect((await create('canva', { plan_name: 'PRO', unit_price: '1', is_enabled: false })).status).toBe(200);
    const providers = (await s.call<{ providers: { provider: string; is_custom: boolean; is_enabled: boolean; category: string }[] }>('GET', '/providers')).body.providers;
    expect(providers.find((p) => p.provider === 'nobody_tool')).toMatchObject({ is_custom: true, is_enabled: true, category: 'other' });
    expect(providers.find((p) => p.provider === 'canva')).toMatchObject({ is_custom: false, is_enabled: true });
    expect((await create('Bad-Name', { plan_name: 'A', unit_price: '1' })).status).toBe(422);
    expect((await create('zoom', { plan_name: 'LATER', unit_price: '1' })).body.details?.reason).toBe('provider_not_enabled'); // disabled above
  });

  it('a plan that starts later is pending until the org\'s date reaches it', async () => {
    const { body } = await create('notion', { plan_name: 'BUSINESS', unit_price: '18', start_date: '2026-03-12' });
    expect(body.plan.status).toBe('pending');
    expect((await list('notion')).totals_by_currency.INR?.monthly).toBe('30.30');
  });
});

describe('changing plans', () => {
  let plan: PlanBody;
  beforeAll(async () => {
    await s.call('POST', '/providers/linear/enable', {});
    plan = (await create('linear', { plan_name: 'STANDARD', pricing_model: 'PER_SEAT', seats: 4, unit_price: '8', currency: 'USD' })).body.plan;
  });
  const path = (id = plan.subscription_id) => `/providers/linear/plans/${id}`;

  it('PUT changes names and owners in place; resending the same price is not a change', async () => {
    const { status, body } = await s.call<{ plan: PlanBody & { owner_email: string; display_name: string } }>('PUT', path(), { display_name: 'Linear for eng', owner_email: 'cto@plans.test', seats: 4, unit_price: '8.00' });
    expect(status).toBe(200);
    expect(body.plan).toMatchObject({ display_name: 'Linear for eng', owner_email: 'cto@plans.test', seats: 4, version: 1 });
  });

  it('PUT refuses a change of seats, price, cycle or discount with 422 pointing at edit-version; history untouched', async () => {
    for (const change of [{ seats: 5 }, { unit_price: '9' }, { billing_cycle: 'annual' }, { discount_type: 'percent', discount_value: '10' }, { unit_price_usd: '9' }]) {
      const res = await s.call<Err>('PUT', path(), change);
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(res.body.message).toMatch(/edit-version/);
    }
    expect((await list('linear')).plans).toHaveLength(1);
  });

  it('PUT, DELETE, toggle, history and edit-version of an unknown id (or another provider\'s) → 404', async () => {
    const figma = (await list('figma')).plans[0]!.subscription_id;
    for (const [method, p, body] of [['PUT', path('nope'), {}], ['DELETE', path('nope'), undefined], ['POST', '/providers/linear/toggle/nope', undefined], ['GET', `${path('nope')}/history`, undefined],
      ['POST', `${path('nope')}/edit-version`, { effective_date: '2026-04-01', seats: 2 }], ['PUT', path(figma), { notes: 'x' }]] as const) {
      expect((await s.call(method, p, body)).status, `${method} ${p}`).toBe(404);
    }
  });

  it('edit-version: 422 for an effective date not after the start or nothing to change; 409 on a version that is not the latest', async () => {
    expect((await s.call<Err>('POST', `${path()}/edit-version`, { effective_date: '2026-03-11', seats: 5 })).status).toBe(422);
    expect((await s.call<Err>('POST', `${path()}/edit-version`, { effective_date: '2026-04-01', seats: 4 })).status).toBe(422);
    const first = await s.call<{ new_plan: PlanBody }>('POST', `${path()}/edit-version`, { effective_date: '2026-04-01', discount_type: 'percent', discount_value: 25 });
    expect(first.body.new_plan).toMatchObject({ version: 2, monthly_cost: '24.00', display_name: 'Linear for eng', owner_email: 'cto@plans.test' });
    const stale = await s.call<Err & { details: { latest_subscription_id: string } }>('POST', `${path()}/edit-version`, { effective_date: '2026-05-01', seats: 6 });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ reason: 'not_latest_version', latest_subscription_id: first.body.new_plan.subscription_id });
    expect((await s.call<Err>('POST', `${path(first.body.new_plan.subscription_id)}/edit-version`, { effective_date: '2026-04-01', seats: 6 })).status).toBe(422);
  });

  it('PUT status cancelled ends the plan on end_date; status active re-opens the latest version', async () => {
    const latest = (await list('linear')).plans.find((p) => p.version === 2)!;
    const ended = await s.call<{ plan: PlanBody }>('PUT', path(latest.subscription_id), { status: 'cancelled', end_date: '2026-06-30' });
    expect(ended.body.plan).toMatchObject({ status: 'cancelled', end_date: '2026-06-30' });
    expect((await s.call<Err>('POST', `${path(latest.subscription_id)}/edit-version`, { effective_date: '2026-05-01', seats: 9 })).body.details?.reason).toBe('plan_cancelled');
    const reopened = await s.call<{ plan: PlanBody }>('PUT', path(latest.subscription_id), { status: 'active' });
    expect(reopened.body.plan).toMatchObject({ status: 'pending', end_date: null });
    const rows = (await list('linear')).plans;
    expect(rows.map((p) => [p.version, p.end_date, p.status])).toEqual([[1, '2026-03-31', 'active'], [2, null, 'pending']]);
  });

  it('toggle switches a plan off and on without ending it; a disabled plan is counted nowhere', async () => {
    expect((await list('linear')).total_monthly_cost).toBe(32);
    const off = await s.call<{ is_enabled: boolean; status: string }>('POST', `/providers/linear/toggle/${plan.subscription_id}`);
    expect(off.body).toMatchObject({ is_enabled: false, status: 'active' });
    expect((await list('linear')).total_monthly_cost).toBe(0);
    expect((await list('linear', '?include_disabled=false')).plans).toHaveLength(0);
    // Another enabled STANDARD now takes the name: switching the first back on would make two.
    const other = (await create('linear', { plan_name: 'STANDARD', unit_price: '1', currency: 'USD' })).body.plan;
    const clash = await s.call<Err>('POST', `/providers/linear/toggle/${plan.subscription_id}`);
    expect(clash.status).toBe(409);
    await s.call('DELETE', `/providers/linear/plans/${other.subscription_id}?end_date=2026-03-11`);
    await s.call('PUT', `/providers/linear/plans/${other.subscription_id}`, { notes: 'ended' });
    s.time.set('2026-03-11T20:00:00Z');
    expect((await s.call('POST', `/providers/linear/toggle/${plan.subscription_id}`)).body).toMatchObject({ is_enabled: true });
    s.time.set('2026-03-10T20:00:00Z');
  });

  it('DELETE twice: the second changes nothing', async () => {
    const p = (await create('linear', { plan_name: 'PLUS', unit_price: '14', currency: 'USD' })).body.plan;
    expect((await s.call<{ message: string }>('DELETE', `/providers/linear/plans/${p.subscription_id}?end_date=2026-03-20`)).body.message).toMatch(/2026-03-20/);
    expect((await s.call<{ message: string }>('DELETE', `/providers/linear/plans/${p.subscription_id}?end_date=2026-03-25`)).body.message).toMatch(/nothing changed/);
  });
});

describe('round-trips (warm key and profile caches)', () => {
  it('listings 1; every change at most 3 sequential (read or profile or the lock row, the write(s), the audit row)', async () => {
    await s.call('POST', '/providers/asana/enable', {});
    const p = (await create('asana', { plan_name: 'PREMIUM', unit_price: '10.99', currency: 'USD' })).body.plan;
    const depth: Record<string, unknown> = {};
    const measure = async (name: string, method: string, path: string, body?: unknown) => {
      await s.call('GET', '/providers/asana/available-plans'); // keeps the key cache warm, no warehouse call
      const res = await s.call(method, path, body);
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(200);
      depth[name] = res.log.warehouse_depth;
    };
    await measure('providers', 'GET', '/providers');
    await measure('plans', 'GET', '/providers/asana/plans');
    await measure('all-plans', 'GET', '/all-plans');
    await measure('history', 'GET', `/providers/asana/plans/${p.subscription_id}/history`);
    await measure('available-plans', 'GET', '/providers/asana/available-plans');
    await measure('enable', 'POST', '/providers/asana/enable', { seed_plans: true });
    await measure('create', 'POST', '/providers/asana/plans', { plan_name: 'OTHER', unit_price: '1', currency: 'USD' });
    await measure('put', 'PUT', `/providers/asana/plans/${p.subscription_id}`, { notes: 'n', status: 'cancelled', end_date: '2026-12-31' });
    await measure('reopen', 'PUT', `/providers/asana/plans/${p.subscription_id}`, { status: 'active' });
    await measure('edit-version', 'POST', `/providers/asana/plans/${p.subscription_id}/edit-version`, { effective_date: '2026-05-01', seats: 3 });
    await measure('toggle', 'POST', `/providers/asana/toggle/${p.subscription_id}`);
    await measure('delete', 'DELETE', `/providers/asana/plans/${p.subscription_id}`);
    await measure('reset', 'POST', '/providers/asana/reset');
    await measure('disable', 'POST', '/providers/asana/disable');
    expect(depth).toEqual({
      'providers': 1, 'plans': 1, 'all-plans': 1, 'history': 1, 'available-plans': 0,
      'enable': 3, 'create': 3, 'put': 3, 'reopen': 3, 'edit-version': 3, 'toggle': 3, 'delete': 3, 'reset': 3, 'disable': 3,
    });
  });
});

describe('all plans', () => {
  it('every provider\'s plans, totals per currency (never summed across them), counts by category; one round-trip', async () => {
    await s.call('GET', '/providers');
    const { body, log } = await s.call<{ plans: PlanBody[]; summary: { total_monthly_cost: number | null; currency: string | null; totals_by_currency: Record<string, { monthly: string }>; count_by_category: Record<string, number>; enabled_count: number; total_count: number } }>('GET', '/all-plans');
    // The plans and the hierarchy (what each plan shows of its entity) side by side: one round-trip deep.
    expect(log).toMatchObject({ warehouse_calls: 2, warehouse_depth: 1 });
    expect(body.summary).toMatchObject({ total_monthly_cost: null, currency: null, total_count: body.plans.length });
    expect(Object.keys(body.summary.totals_by_currency).sort()).toEqual(['INR', 'USD']);
    expect(body.summary.totals_by_currency.INR!.monthly).toBe('75.30'); // notion PLUS 30.30 + figma ORGANIZATION 45 (the org's INR by default)
    expect(body.summary.count_by_category.design).toBeGreaterThan(0);
    const enabled = (await s.call<{ plans: PlanBody[]; summary: { enabled_count: number; total_count: number } }>('GET', '/all-plans?enabled_only=true')).body;
    expect(enabled.plans.every((p) => p.is_enabled)).toBe(true);
    expect(enabled.summary.enabled_count).toBe(enabled.summary.total_count);
  });
});

describe('a refused PUT writes nothing', () => {
  it('re-opening a version that is not the latest: 409, and the in-place fields sent with it are not written either', async () => {
    const v1 = (await create('notion', { plan_name: 'REFUSED_PUT', unit_price: '4', currency: 'USD' })).body.plan;
    expect((await s.call('POST', `/providers/notion/plans/${v1.subscription_id}/edit-version`, { effective_date: '2026-04-01', seats: 2 })).status).toBe(200);
    expect((await s.call('DELETE', `/providers/notion/plans/${v1.subscription_id}`)).status).toBe(200);
    const refused = await s.call<Err>('PUT', `/providers/notion/plans/${v1.subscription_id}`, { notes: 'should not land', status: 'active' });
    expect(refused.status).toBe(409);
    expect(refused.body.details?.reason).toBe('not_latest_version');
    const history = (await s.call<{ history: (PlanBody & { notes: string | null })[] }>('GET', `/providers/notion/plans/${v1.subscription_id}/history`)).body.history;
    await new Promise((r) => setTimeout(r, 200)); // a write started before the refusal would land meanwhile
    const rows = await s.deps.warehouse.query({ sql: `SELECT notes FROM ${s.deps.warehouse.table('plans_co_prod', 'saas_subscription_plans')} WHERE plan_id = @p`, params: { p: v1.plan_id } });
    expect(rows.map((r) => r.notes)).toEqual([null, null]);
    expect(history).toHaveLength(2);
  });
});
