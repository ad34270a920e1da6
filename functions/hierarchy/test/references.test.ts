import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralTables, orgTables } from '@cloudact/shared/warehouse/schemas';
import { buildFunctionApp } from '@cloudact/shared/app/function';
import { routes as budgetRoutes } from '../../budgets/src/routes.js';
import { buildTree, hierarchyApp } from './support/app.js';

/** can-delete and delete read what points at an entity: SaaS plans not ended, active integrations and active budgets not ended (read only). */
describe('references block a delete', () => {
  it('a SaaS plan and an integration pointing at an entity are listed by can-delete and refuse its delete (force too) and an import that drops it', async () => {
    const h = await hierarchyApp('refs_co');
    await buildTree(h);
    const now = h.time.clock();
    const orgId = (await h.deps.profiles.get(h.org)).org_id;
    const plans = orgTables().tables.find((t) => t.name === 'saas_subscription_plans')!;
    await insertRows(h.deps.warehouse, `${h.org}_prod`, plans, [{
      org_slug: h.org, subscription_id: randomUUID(), plan_id: randomUUID(), version: 1, revision: 0, provider: 'slack', plan_name: 'PRO', category: 'communication', is_enabled: true,
      start_date: '2026-01-01', end_date: null, billing_cycle: 'monthly', currency: 'USD', seats: 3, pricing_model: 'PER_SEAT', unit_price: '8.75', auto_renew: true,
      hierarchy_entity_id: 'TEAM-DATA', hierarchy_entity_name: 'Data', hierarchy_level_code: 'function', hierarchy_path: '/DEPT-CIO/PROJ-CTO/TEAM-DATA', created_at: now, updated_at: now,
    }]);
    const creds = centralTables().tables.find((t) => t.name === 'org_integration_credentials')!;
    await insertRows(h.deps.warehouse, 'organizations', creds, [{
      credential_id: randomUUID(), org_slug: h.org, org_id: orgId, provider: 'OPENAI', credential_name: 'OpenAI prod', encrypted_credential: Buffer.from('x'), credential_type: 'API_KEY',
      validation_status: 'VALID', is_active: true, default_x_hierarchy_entity_id: 'PROJ-OPS', created_at: now,
    }]);

    const team = await h.call('GET', '/entities/TEAM-DATA/can-delete');
    expect(team.body).toMatchObject({ entity_id: 'TEAM-DATA', blocked: true, blocking_entities: [{ level_code: 'saas_plan', entity_name: 'slack PRO', type: 'reference' }] });
    const ops = await h.call('GET', '/entities/PROJ-OPS/can-delete');
    expect(ops.body.blocking_entities).toEqual([{ entity_id: 'OPENAI', entity_name: 'OpenAI prod', level_code: 'integration', type: 'reference' }]);
    expect((await h.call('DELETE', '/entities/TEAM-DATA')).status).toBe(409);
    const forced = await h.call('DELETE', '/entities/PROJ-CTO?force=true');
    expect(forced.status).toBe(409);
    expect(forced.body.detail).toMatch(/point at TEAM-DATA/);
    const csv = (await h.call('GET', '/export')).text.split('\r\n').filter((l) => !l.startsWith('PROJ-OPS')).join('\r\n');
    const imported = await h.call('POST', '/import', { csv_content: csv });
    expect(imported.status).toBe(422);
    expect(imported.body.detail).toMatch(/PROJ-OPS would be deleted but integration OpenAI prod points at it/);
    expect((await h.call('GET', '/entities/DEPT-COO/can-delete')).body).toMatchObject({ blocked: true, blocking_entities: [{ entity_id: 'PROJ-OPS', type: 'child' }] });
  });

  it('an active budget of an entity is listed by can-delete and refuses its delete; an ended or deleted budget does not', async () => {
    const h = await hierarchyApp('refs_budget');
    await buildTree(h);
    const budgets = buildFunctionApp('budgets', budgetRoutes, h.deps);
    const post = async (body: unknown) => {
      const res = await budgets.fetch(new Request(`http://fn/api/v1/budgets/${h.org}`, { method: 'POST', headers: { 'x-api-key': h.key, 'content-type': 'application/json' }, body: JSON.stringify(body) }));
      expect(res.status, await res.clone().text()).toBe(201);
      return (await res.json()) as { budget_id: string };
    };
    const today = h.time.clock().toISOString().slice(0, 10);
    const live = await post({ category: 'cloud', period_type: 'monthly', budget_amount: '500', hierarchy_entity_id: 'TEAM-DATA', period_start: `${today.slice(0, 7)}-01` });
    await post({ category: 'cloud', period_type: 'custom', budget_amount: '500', hierarchy_entity_id: 'PROJ-OPS', period_start: '2025-01-01', period_end: '2025-01-31' });
    const can = await h.call('GET', '/entities/TEAM-DATA/can-delete');
    expect(can.body).toMatchObject({ blocked: true, blocking_entities: [{ entity_id: live.budget_id, level_code: 'budget', type: 'reference' }] });
    expect(can.body.reason).toMatch(/budgets point at TEAM-DATA/);
    expect((await h.call('DELETE', '/entities/TEAM-DATA')).status).toBe(409);
    // The January 2025 budget has ended: nothing to keep the entity for.
    expect((await h.call('GET', '/entities/PROJ-OPS/can-delete')).body).toMatchObject({ blocked: false, blocking_entities: [] });
    const del = await budgets.fetch(new Request(`http://fn/api/v1/budgets/${h.org}/${live.budget_id}`, { method: 'DELETE', headers: { 'x-api-key': h.key } }));
    expect(del.status).toBe(200);
    expect((await h.call('GET', '/entities/TEAM-DATA/can-delete')).body).toMatchObject({ blocked: false });
    expect((await h.call('DELETE', '/entities/TEAM-DATA')).status).toBe(204);
  });
});
