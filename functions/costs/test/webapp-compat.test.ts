import { beforeAll, describe, expect, it } from 'vitest';
import { costsApp } from './support.js';

/**
 * Issue 15 (costs): the CloudAct web app's calls (actions/costs.ts, actions/subscription-providers.ts,
 * both ages), with their exact query strings, on a seeded org whose local days are not UTC's
 * (America/New_York, a DST change on 2026-03-08 inside the ranges). Every call must be 2xx and
 * carry every field the web app reads, with the JS type it uses it as.
 */
let t: Awaited<ReturnType<typeof costsApp>>;

beforeAll(async () => {
  t = await costsApp({ slug: 'acme_web', currency: 'USD', timezone: 'America/New_York', now: '2026-03-20T16:00:00Z' }, { days: 70, rowsPerDay: 120, seed: 7, end: '2026-03-20' });
});

type Kind = 'number' | 'string' | 'boolean' | 'array' | 'object' | 'string|null';
type Obj = Record<string, unknown>;

/** Every field present with the JS type the web app uses it as (money it adds up: typeof number). */
function expectFields(where: string, o: unknown, fields: Record<string, Kind>) {
  expect(o, where).toBeTypeOf('object');
  const rec = o as Obj;
  for (const [f, kind] of Object.entries(fields)) {
    const v = rec[f];
    const ok = kind === 'array' ? Array.isArray(v)
      : kind === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v)
        : kind === 'string|null' ? v === null || typeof v === 'string'
          : typeof v === kind && (kind !== 'number' || Number.isFinite(v));
    expect(ok, `${where}.${f} should be ${kind}, got ${JSON.stringify(v)}`).toBe(true);
  }
}

async function call(path: string) {
  const r = await t.get<Obj>(path);
  expect(r.status, `${path}: ${JSON.stringify(r.body).slice(0, 400)}`).toBe(200);
  return r.body;
}

// The filters the dashboards append (actions/costs.ts CostFilterParams), in the web app's order.
const HIER = 'hierarchy_entity_id=TEAM-DATA&hierarchy_path=%2FDEPT-CIO%2FPROJ-CTO%2FTEAM-DATA';
const CATEGORY_PART = { subscription: 'saas', cloud: 'cloud', genai: 'llm' } as const;
const TOTAL_PART: Record<string, Kind> = {
  total_daily_cost: 'number', total_monthly_cost: 'number', total_annual_cost: 'number', total_billed_cost: 'number',
  mtd_cost: 'number', record_count: 'number', providers: 'array',
};

describe('GET /costs/{org}/total (getTotalCosts, getExtendedPeriodCosts)', () => {
  it('answers both category names, each with the fields the dashboard reads', async () => {
    for (const q of ['start_date=2026-03-01&end_date=2026-03-20', `start_date=2026-03-01&end_date=2026-03-20&${HIER}`, 'start_date=2026-02-01&end_date=2026-02-28&providers=openai,gcp&service_categories=genai,cloud']) {
      const b = await call(`/total?${q}`);
      for (const name of ['subscription', 'cloud', 'genai', 'saas', 'llm']) expectFields(`total?${q} ${name}`, b[name], TOTAL_PART);
      expectFields(`total?${q} total`, b.total, { total_daily_cost: 'number', total_monthly_cost: 'number', total_annual_cost: 'number', total_billed_cost: 'number' });
      expectFields(`total?${q} date_range`, b.date_range, { start: 'string', end: 'string' });
      expectFields(`total?${q}`, b, { currency: 'string', query_time_ms: 'number' });
      for (const [late, early] of Object.entries(CATEGORY_PART)) expect(b[late]).toEqual(b[early]);
    }
  });

  it("the 12-period view's sum (subscription + cloud + genai) counts every category", async () => {
    const b = await call('/total?start_date=2026-03-01&end_date=2026-03-19');
    const part = (x: unknown) => (x as { total_billed_cost: number }).total_billed_cost;
    const sum = part(b.subscription) + part(b.cloud) + part(b.genai);
    expect(part(b.subscription)).toBeGreaterThan(0);
    expect(part(b.genai)).toBeGreaterThan(0);
    expect(sum).toBeCloseTo((b.total as { total_billed_cost: number }).total_billed_cost, 2);
  });
});

describe('GET /costs/{org}/trend-granular (getCostTrendGranular)', () => {
  it.each(['days=365', 'start_date=2026-01-10&end_date=2026-03-20', 'days=365&clear_cache=true', 'days=730'])('%s', async (q) => {
    const b = await call(`/trend-granular?${q}`);
    expectFields(q, b, { success: 'boolean', data: 'array', summary: 'object', currency: 'string', cache_hit: 'boolean' });
    const rows = b.data as Obj[];
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows.slice(0, 50)) {
      expectFields(`${q} row`, r, {
        date: 'string', provider: 'string', category: 'string', total_cost: 'number', record_count: 'number',
        hierarchy_entity_id: 'string|null', hierarchy_entity_name: 'string|null', hierarchy_level_code: 'string|null', hierarchy_path: 'string|null', hierarchy_path_names: 'string|null',
      });
      expect(['genai', 'cloud', 'subscription', 'other']).toContain(r.category);
    }
    const dates = rows.map((r) => r.date as string);
    expect([...dates].sort()).toEqual(dates);
    const s = b.summary as Obj;
    expectFields(`${q} summary`, s, { total_cost: 'number', record_count: 'number', granular_rows: 'number', date_range: 'object', available_filters: 'object' });
    expectFields(`${q} summary.date_range`, s.date_range, { start: 'string', end: 'string' });
    const f = s.available_filters as Obj;
    expectFields(`${q} available_filters`, f, { providers: 'array', categories: 'array', departments: 'array', projects: 'array', teams: 'array' });
    for (const k of ['departments', 'projects', 'teams']) {
      expect((f[k] as unknown[]).length, k).toBeGreaterThan(0);
      for (const e of f[k] as unknown[]) expectFields(`${q} ${k}`, e, { id: 'string', name: 'string' });
    }
    expect(s.granular_rows).toBe(rows.length);
  });
});

describe('filters the dashboards send', () => {
  const ROUTES = ['', '/summary', '/by-provider', '/by-service', '/cloud', '/genai', '/llm', '/total', '/trend', '/saas-subscriptions', '/subscriptions', '/pivot?rows=ProviderName'];
  const FILTERS = [HIER, 'department_id=DEPT-CIO', 'project_id=PROJ-CTO', 'team_id=TEAM-DATA', 'service_categories=genai', 'service_categories=cloud,subscription', 'hierarchy_path=%2FDEPT-CIO'];
  it.each(ROUTES)('%s accepts every hierarchy and category filter', async (route) => {
    for (const f of FILTERS) {
      const sep = route.includes('?') ? '&' : '?';
      await call(`${route}${sep}start_date=2026-03-01&end_date=2026-03-20&${f}`);
    }
  });

  it('/trend accepts category= (getCostTrend)', async () => {
    for (const c of ['genai', 'cloud', 'subscription']) await call(`/trend?granularity=daily&days=30&category=${c}&${HIER}&providers=openai&service_categories=genai`);
  });
});

describe('row shapes the web app reads', () => {
  it('/trend rows carry date beside period', async () => {
    const b = await call('/trend?granularity=daily&days=30');
    for (const r of b.data as Obj[]) expectFields('trend row', r, { date: 'string', period: 'string', total_cost: 'number', record_count: 'number' });
    // The earlier web app reads the rows as they come (CostTrendPoint).
    const early = await call('/trend?granularity=weekly&days=30');
    for (const r of early.data as Obj[]) expectFields('trend row (earlier)', r, { period: 'string', total_billed_cost: 'number', total_effective_cost: 'number', record_count: 'number', providers: 'array' });
  });

  it('/by-service rows carry service_name and service_category; /by-provider rows provider', async () => {
    const s = await call('/by-service?start_date=2026-03-01&end_date=2026-03-20');
    for (const r of s.data as Obj[]) expectFields('by-service row', r, { service_name: 'string', service_category: 'string|null', provider: 'string|null', total_cost: 'number', record_count: 'number' });
    const p = await call('/by-provider?start_date=2026-03-01&end_date=2026-03-20');
    for (const r of p.data as Obj[]) expectFields('by-provider row', r, { provider: 'string', total_cost: 'number', record_count: 'number', percentage: 'number' });
  });

  it('/saas-subscriptions rows carry ServiceCategory and the charge period; its summary is a CostSummary', async () => {
    const b = await call('/saas-subscriptions?start_date=2026-03-01&end_date=2026-03-20');
    expect((b.data as Obj[]).length).toBeGreaterThan(0);
    for (const r of b.data as Obj[]) {
      expectFields('saas row', r, {
        ServiceCategory: 'string', ChargePeriodStart: 'string', ChargePeriodEnd: 'string', ProviderName: 'string', ServiceName: 'string|null',
        BilledCost: 'number', EffectiveCost: 'number', BillingCurrency: 'string', MonthlyRunRate: 'number', AnnualRunRate: 'number',
      });
      expect((r.ChargePeriodStart as string).split('T')[0]! >= '2026-03-01').toBe(true);
    }
    expectFields('saas summary', b.summary, costSummary);
  });

  const costSummary: Record<string, Kind> = { total_billed_cost: 'number', record_count: 'number', providers: 'array', service_categories: 'array', date_range: 'object' };

  it.each(['/genai', '/llm'])('%s rows carry the FOCUS fields of the cost table beside the per-model aggregates', async (route) => {
    const b = await call(`${route}?start_date=2026-03-01&end_date=2026-03-20`);
    expect((b.data as Obj[]).length).toBeGreaterThan(0);
    for (const r of b.data as Obj[]) {
      expectFields(`${route} row`, r, {
        ServiceProviderName: 'string', ServiceName: 'string', ServiceCategory: 'string', ChargePeriodStart: 'string', ChargePeriodEnd: 'string',
        BilledCost: 'number', EffectiveCost: 'number', Savings: 'number', BillingCurrency: 'string', MonthlyRunRate: 'number', AnnualRunRate: 'number',
        provider: 'string', model: 'string', total_cost: 'number', input_tokens: 'number', output_tokens: 'number',
      });
    }
    expectFields(`${route} summary`, b.summary, costSummary);
    expectFields(`${route} summary.date_range`, (b.summary as Obj).date_range, { start: 'string', end: 'string' });
  });

  it('/cloud summary is a CostSummary too', async () => {
    const b = await call('/cloud?start_date=2026-03-01&end_date=2026-03-20');
    expectFields('cloud summary', b.summary, costSummary);
    expectFields('cloud summary.date_range', (b.summary as Obj).date_range, { start: 'string', end: 'string' });
  });
});
