import { describe, expect, it } from 'vitest';
import { bootstrapCentral } from '@cloudact/shared/bootstrap/bootstrap-central';
import { centralTables } from '@cloudact/shared/warehouse/schemas';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as hierarchyRoutes } from '../../hierarchy/src/routes.js';
import { subscriptionsApp, type PlanBody } from './support/app.js';

/**
 * An org onboarded before saas_subscription_plans had the web app's columns (hierarchy_*,
 * source_*, exchange_rate_used, billing_anchor_day): bootstrap with sync_schema adds them, its
 * old rows read with them empty, and new plans store them.
 */
const NEW_COLUMNS = ['hierarchy_entity_id', 'hierarchy_entity_name', 'hierarchy_level_code', 'hierarchy_path', 'hierarchy_path_names', 'source_currency', 'source_price', 'exchange_rate_used', 'billing_anchor_day'];

describe('upgrading an org onboarded before the web app\'s plan columns', () => {
  it('sync_schema adds them (REPEATED hierarchy_path_names among them); old rows read as empty; new plans keep them', async () => {
    const s = await subscriptionsApp('old_plans');
    const h = buildFunctionApp('hierarchy', hierarchyRoutes, s.deps);
    for (const e of [{ entity_id: 'DEPT-ENG', entity_name: 'Eng', level_code: 'c_suite' }, { entity_id: 'PROJ-1', entity_name: 'Team 1', level_code: 'business_unit', parent_id: 'DEPT-ENG' }, { entity_id: 'PROJ-2', entity_name: 'Team 2', level_code: 'business_unit', parent_id: 'DEPT-ENG' }]) {
      const res = await h.fetch(new Request('http://fn/api/v1/hierarchy/old_plans/entities', { method: 'POST', headers: { 'x-api-key': s.key, 'content-type': 'application/json' }, body: JSON.stringify(e) }));
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const old = (await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name: 'OLD', unit_price: '8.75', currency: 'USD' })).body.plan;
    const T = s.deps.warehouse.table('old_plans_prod', 'saas_subscription_plans');
    for (const c of NEW_COLUMNS) await s.deps.warehouse.execute({ sql: `ALTER TABLE ${T} DROP COLUMN ${c}` });
    expect([...(await s.deps.warehouse.describeDataset('old_plans_prod')).get('saas_subscription_plans')!]).not.toContain('hierarchy_path_names');

    const result = await bootstrapCentral({ warehouse: s.deps.warehouse, environment: 'development', tables: centralTables(), logger: s.deps.logger, clock: s.deps.clock, actor: { kind: 'system', name: 'test' }, requestId: 'r-upgrade' }, { sync_schema: true });
    expect(result.org_datasets_synced).toEqual([{ org_slug: 'old_plans', dataset_id: 'old_plans_prod', tables_created: [], columns_added: [{ table: 'saas_subscription_plans', columns: NEW_COLUMNS }] }]);

    const listed = await s.call<{ plans: (PlanBody & Record<string, unknown>)[] }>('GET', '/providers/slack/plans');
    expect(listed.status).toBe(200);
    expect(listed.body.plans.find((p) => p.subscription_id === old.subscription_id)).toMatchObject({ unit_price: 8.75, hierarchy_entity_id: null, hierarchy_path_names: [], source_price: null, billing_anchor_day: null });
    const fresh = await s.call<{ plan: Record<string, unknown> }>('POST', '/providers/slack/plans', { plan_name: 'NEW', unit_price: 5, currency: 'USD', hierarchy_entity_id: 'PROJ-1', hierarchy_path_names: ['Eng', 'Team 1'], billing_anchor_day: 3 });
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    expect(fresh.body.plan).toMatchObject({ hierarchy_entity_id: 'PROJ-1', hierarchy_path_names: ['Eng', 'Team 1'], billing_anchor_day: 3 });
    const put = await s.call<{ plan: Record<string, unknown> }>('PUT', `/providers/slack/plans/${old.subscription_id}`, { hierarchy_entity_id: 'PROJ-2', hierarchy_path_names: 'Eng > Team 2' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await s.call<{ plans: Record<string, unknown>[] }>('GET', '/providers/slack/plans')).body.plans.find((p) => p.subscription_id === old.subscription_id))
      .toMatchObject({ hierarchy_entity_id: 'PROJ-2', hierarchy_path_names: ['Eng > Team 2'] });
  });
});
