import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalGateway } from '@cloudact/shared/gateway/local-gateway';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { createCloudActClient, type CloudActClient } from '../../../clients/typescript/src/index.js';
import * as budgetsFn from '../src/routes.js';
import { referenceEngine } from '../../../shared/test/support/duck-reference.js';
import { testDeps } from '../../../shared/test/support/deps.js';
import { bootstrap, onboard, settableClock } from '../../../shared/test/support/orgs.js';

/**
 * The budgets page's journey over a real socket through the local gateway with the typed client
 * (bodies as the web app sends them: no currency). An org in Asia/Kolkata paying in INR, with 75
 * seeded days of costs; actuals are checked against DuckDB SQL over its local days.
 */
const TZ = 'Asia/Kolkata';
const org_slug = 'budget_journey';
const path = { path: { org_slug } };
let server: Server;
let api: CloudActClient;
let deps: Awaited<ReturnType<typeof testDeps>>;
let time: ReturnType<typeof settableClock>;
let ref: Awaited<ReturnType<typeof referenceEngine>>;

const paisa = (x: number) => Math.round(x * 100);
const local = `CAST(timezone('${TZ}', ChargePeriodStart AT TIME ZONE 'UTC') AS DATE)`;
async function sqlInr(where: string): Promise<number> {
  const [r] = await ref.rows<{ v: number | null }>(`SELECT SUM(CAST(EffectiveCost AS DOUBLE) * t.per_eur / s.per_eur) AS v
    FROM (SELECT *, ${local} AS day FROM ledger) AS l ASOF JOIN rates s ON s.currency = l.BillingCurrency AND s.date <= l.day ASOF JOIN rates t ON t.currency = 'INR' AND t.date <= l.day
    WHERE ${where}`);
  return Number(r?.v ?? 0);
}
const summary = async () => (await api.GET('/api/v1/budgets/{org_slug}/summary', { params: { ...path, query: {} } })).data!;
const itemOf = async (id: string) => (await summary()).items.find((i) => i.budget_id === id)!;

beforeAll(async () => {
  time = settableClock(Date.parse('2026-03-20T20:00:00Z')); // 01:30 on 21 March in Kolkata
  deps = await testDeps({ AUTH_FAILURES_PER_MINUTE: '100000' }, { clock: time.clock });
  await bootstrap(deps);
  const key = (await onboard(deps, org_slug, { subscription_plan: 'SCALE', default_currency: 'INR', default_timezone: TZ })).api_key;
  await seedCosts(deps, { orgSlug: org_slug, days: 75, rowsPerDay: 40, seed: 3, end: '2026-03-21' });
  ref = await referenceEngine(deps.warehouse, `${org_slug}_prod`);
  let url: string;
  ({ server, url } = await createLocalGateway([{ name: 'budgets', routes: budgetsFn.routes }], deps).listen(0));
  api = createCloudActClient({ baseUrl: url, apiKey: key });
}, 120_000);
afterAll(async () => {
  ref?.close();
  await new Promise<void>((r) => server?.close(() => r()));
});

describe('the budgets journey', () => {
  let parentId = '';

  it('a monthly budget of a department (no currency sent: INR) has the actual DuckDB SQL gives over its local days, to the paisa', async () => {
    const made = await api.POST('/api/v1/budgets/{org_slug}', { params: path, body: { category: 'total', period_type: 'monthly', budget_amount: 250000, hierarchy_entity_id: 'DEPT-CIO', hierarchy_entity_name: 'Group CIO' } });
    expect(made.response.status).toBe(201);
    expect(made.data).toMatchObject({ currency: 'INR', period_start: '2026-03-01', period_end: '2026-03-31' });
    parentId = made.data!.budget_id;
    const want = await sqlInr(`(list_contains(string_split(x_HierarchyPath, '/'), 'DEPT-CIO') OR x_HierarchyEntityId = 'DEPT-CIO') AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`);
    expect(want).toBeGreaterThan(0);
    const i = await itemOf(parentId);
    expect(paisa(i.actual_amount)).toBe(paisa(want));
    expect(i.thresholds_crossed.every((t) => (t.of === 'actual' ? i.actual_amount : i.forecast_amount) >= (250000 * t.percent) / 100)).toBe(true);
  });

  it('a token budget compares input + output tokens', async () => {
    const made = await api.POST('/api/v1/budgets/{org_slug}', { params: path, body: { category: 'genai', budget_type: 'token', period_type: 'monthly', budget_amount: '5000000' } });
    const [r] = await ref.rows<{ v: number | bigint | null }>(`SELECT SUM(COALESCE(x_InputTokens, 0) + COALESCE(x_OutputTokens, 0)) AS v FROM (SELECT *, ${local} AS day FROM ledger) WHERE x_CostCategory = 'llm' AND day BETWEEN DATE '2026-03-01' AND DATE '2026-03-31'`);
    const i = await itemOf(made.data!.budget_id);
    expect(i.actual_amount).toBe(Number(r?.v ?? 0));
    expect(i.counted_in_totals).toBe(false);
  });

  it('a failed allocation leaves nothing; a good one is counted once in the totals', async () => {
    // PROJ-CTO already has a March total budget: allocating to it and TEAM-DATA is refused as a whole.
    expect((await api.POST('/api/v1/budgets/{org_slug}', { params: path, body: { category: 'total', period_type: 'monthly', budget_amount: '1000', hierarchy_entity_id: 'PROJ-CTO' } })).response.status).toBe(201);
    const before = (await api.GET('/api/v1/budgets/{org_slug}', { params: { ...path, query: {} } })).data!.total;
    const refused = await api.POST('/api/v1/budgets/{org_slug}/allocate', { params: path, body: { parent_budget_id: parentId, allocations: [{ hierarchy_entity_id: 'TEAM-DATA', percentage: '30' }, { hierarchy_entity_id: 'PROJ-CTO', percentage: '50' }] } });
    expect(refused.response.status).toBe(409);
    expect((await api.GET('/api/v1/budgets/{org_slug}', { params: { ...path, query: {} } })).data!.total).toBe(before);
    const ok = await api.POST('/api/v1/budgets/{org_slug}/allocate', { params: path, body: { parent_budget_id: parentId, allocations: [{ hierarchy_entity_id: 'TEAM-DATA', percentage: '30' }] } });
    expect(ok.response.status).toBe(200);
    const s = await summary();
    const counted = s.items.filter((i) => i.counted_in_totals);
    expect(counted.map((i) => i.budget_id)).not.toContain(ok.data!.children[0]!.budget_id);
    // 250000 (the parent, not its 75000 child) + 1000; the token budget is not money.
    expect(s.total_budget).toBe(251000);
    expect(paisa(s.total_actual)).toBe(counted.reduce((n, i) => n + paisa(i.actual_amount_org), 0));
    const tree = await api.GET('/api/v1/budgets/{org_slug}/allocation-tree', { params: { ...path, query: { root_entity_id: 'DEPT-CIO' } } });
    expect(tree.data!.roots[0]).toMatchObject({ budget_amount: 250000, allocated_to_children: 75000, unallocated: 175000 });
  });

  it('a recurring monthly budget renews at the org\'s local month start; a quarterly one follows a fiscal year starting in April', async () => {
    const m = await api.POST('/api/v1/budgets/{org_slug}', { params: path, body: { category: 'cloud', period_type: 'monthly', recurring: true, budget_amount: '40000' } });
    const q = await api.POST('/api/v1/budgets/{org_slug}', { params: path, body: { category: 'cloud', period_type: 'quarterly', recurring: true, fiscal_year_start_month: 4, budget_amount: '120000' } });
    expect([(await itemOf(m.data!.budget_id)).period_start, (await itemOf(q.data!.budget_id)).period_start]).toEqual(['2026-03-01', '2026-01-01']);
    time.set('2026-03-31T18:29:59Z');
    expect((await itemOf(m.data!.budget_id)).period_start).toBe('2026-03-01');
    time.set('2026-03-31T18:30:00Z'); // midnight in Kolkata
    const [mi, qi] = [await itemOf(m.data!.budget_id), await itemOf(q.data!.budget_id)];
    expect([mi.period_start, mi.period_end, qi.period_start, qi.period_end]).toEqual(['2026-04-01', '2026-04-30', '2026-04-01', '2026-06-30']);
    time.set('2026-03-20T20:00:00Z');
  });
});
