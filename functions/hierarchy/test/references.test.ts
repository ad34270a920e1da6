import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { insertRows } from '@cloudact/shared/warehouse/dml';
import { centralTables, orgTables } from '@cloudact/shared/warehouse/schemas';
import { buildTree, hierarchyApp } from './support/app.js';

/** can-delete and delete read what points at an entity: SaaS plans not ended and active integrations (read only). */
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
});
