import { describe, expect, it } from 'vitest';
import { createPlan } from '@cloudact/shared/saas/plans/create';
import { testCtx } from '../../../shared/test/support/orgs.js';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as hierarchyRoutes } from '../../hierarchy/src/routes.js';
import { budgetsApp } from './support/app.js';

describe('seat budgets', () => {
  it('compare the seats of the enabled SaaS plans in scope over the period, never money', async () => {
    const b = await budgetsApp('seat_co');
    const ctx = testCtx(b.deps);
    // A plan names an entity of the current tree (saas/plans/hierarchy.ts).
    const h = buildFunctionApp('hierarchy', hierarchyRoutes, b.deps);
    for (const e of [
      { entity_id: 'DEPT-CIO', entity_name: 'CIO', level_code: 'c_suite' }, { entity_id: 'DEPT-CIO10', entity_name: 'CIO 10', level_code: 'c_suite' },
      { entity_id: 'PROJ-CTO', entity_name: 'CTO', level_code: 'business_unit', parent_id: 'DEPT-CIO' }, { entity_id: 'PROJ-CTO10', entity_name: 'CTO 10', level_code: 'business_unit', parent_id: 'DEPT-CIO10' },
    ]) {
      const res = await h.fetch(new Request('http://fn/api/v1/hierarchy/seat_co/entities', { method: 'POST', headers: { 'x-api-key': b.key, 'content-type': 'application/json' }, body: JSON.stringify(e) }));
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const plan = (name: string, seats: number, extra: Record<string, unknown> = {}) => createPlan(ctx, { orgSlug: 'seat_co', provider: 'slack', plan_name: name, unit_price: '8.75', pricing_model: 'PER_SEAT', seats, start_date: '2026-01-01', ...extra });
    await plan('pro', 12, { hierarchy_entity_id: 'PROJ-CTO', hierarchy_path: '/DEPT-CIO/PROJ-CTO' });
    await plan('business', 5, { hierarchy_entity_id: 'PROJ-CTO10', hierarchy_path: '/DEPT-CIO10/PROJ-CTO10' });
    await plan('enterprise', 7, { hierarchy_entity_id: 'DEPT-CIO', hierarchy_path: '/DEPT-CIO', end_date: '2026-02-28' });
    const made = await b.call('POST', '', { category: 'subscription', budget_type: 'seat', period_type: 'monthly', budget_amount: '10', hierarchy_entity_id: 'DEPT-CIO' });
    expect(made.status, made.text).toBe(201);
    const s = (await b.call('GET', '/summary')).body;
    const i = s.items.find((x: { budget_id: string }) => x.budget_id === made.body.budget_id);
    // PROJ-CTO's 12 seats (under DEPT-CIO); not DEPT-CIO10's (a different segment), not the plan ended in February.
    expect(i).toMatchObject({ actual_amount: 12, currency: 'SEATS', is_over_budget: true, counted_in_totals: false });
    expect(s.total_budget).toBe(0);
  });
});
