import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { subscriptionsApp, type PlanBody } from './support/app.js';

/**
 * edit-version with the warehouse failing at each of its calls (read, MERGE, audit), before the
 * call or after it with the answer lost. Whatever happens, the plan has exactly one open
 * version; a 503 leaves it as it was (the same request then succeeds); a MERGE that committed
 * with its answer lost is recognised by reading back the link, and answers 200.
 */
describe('edit-version when the warehouse fails half-way', () => {
  it('never two open versions, never a closed plan without its successor', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await subscriptionsApp('fault_co', { warehouse: faulty });
    await s.call('POST', '/providers/slack/enable', {});
    const openVersions = async (planId: string) => s.deps.warehouse.query({
      sql: `SELECT version FROM ${s.deps.warehouse.table('fault_co_prod', 'saas_subscription_plans')} WHERE plan_id = @p AND superseded_by IS NULL`, params: { p: planId },
    });
    const outcomes: string[] = [];
    for (const mode of ['before', 'after'] as const) {
      for (let k = 1; k <= 3; k++) {
        const plan = (await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name: `P_${mode}_${k}`, unit_price: '8.75', currency: 'USD' })).body.plan;
        await s.call('GET', `/providers/slack/plans`); // warm caches: the armed calls are the verb's own
        faulty.armAt(k, mode);
        const edit = () => s.call<{ new_plan?: PlanBody }>('POST', `/providers/slack/plans/${plan.subscription_id}/edit-version`, { effective_date: '2026-04-01', seats: 2 });
        const first = await edit();
        faulty.heal();
        outcomes.push(`${mode} ${k}: ${first.status}`);
        const open = await openVersions(plan.plan_id);
        expect(open, `${mode} ${k}`).toHaveLength(1);
        if (first.status === 200) {
          expect(open[0]!.version).toBe(2);
        } else {
          expect(first.status).toBe(503);
          expect(open[0]!.version).toBe(1);
          expect((await edit()).status, `retry after ${mode} ${k}`).toBe(200);
          expect(await openVersions(plan.plan_id), `${outcomes.join(", ")} | ${JSON.stringify(await s.deps.warehouse.query({ sql: `SELECT version, subscription_id, superseded_by, revision FROM ${s.deps.warehouse.table("fault_co_prod", "saas_subscription_plans")} WHERE plan_id = @p`, params: { p: plan.plan_id } }))}`).toEqual([{ version: 2 }]);
        }
      }
    }
    // The read fails: nothing done. The MERGE fails before reaching the warehouse: nothing done;
    // after committing: read back, done. The audit row fails: done (logged).
    expect(outcomes).toEqual(['before 1: 503', 'before 2: 503', 'before 3: 200', 'after 1: 503', 'after 2: 200', 'after 3: 200']);
  });
});

describe('create when its deciding MERGE fails', () => {
  it('answer lost after the MERGE committed: read back, 200 and one row; failed before it: 503, nothing, and a retry works', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await subscriptionsApp('fault_create', { warehouse: faulty });
    await s.call('POST', '/providers/slack/enable', {});
    await s.call('GET', '/providers/slack/plans'); // warm caches: the create's calls are then provider row | lock row, MERGE, audit
    const rows = async (name: string) => s.deps.warehouse.query({ sql: `SELECT subscription_id FROM ${s.deps.warehouse.table('fault_create_prod', 'saas_subscription_plans')} WHERE plan_name = @n`, params: { n: name } });
    const create = (name: string) => s.call('POST', '/providers/slack/plans', { plan_name: name, unit_price: '5', currency: 'USD' });

    faulty.armAt(3, 'after');
    const lost = await create('LOST');
    expect([...faulty.log.slice(0, 2)].sort()).toEqual(['execute', 'query']); // the provider row | the lock row
    expect(faulty.log[2]).toBe('execute'); // the MERGE
    expect(lost.status).toBe(200);
    expect(await rows('LOST')).toHaveLength(1);

    faulty.armAt(3, 'before');
    expect((await create('NEVER')).status).toBe(503);
    expect(await rows('NEVER')).toHaveLength(0);
    faulty.heal();
    expect((await create('NEVER')).status).toBe(200);
    expect(await rows('NEVER')).toHaveLength(1);
  });
});

describe('the first plan of a provider when the provider row or an audit row fails after the plan went in', () => {
  it('answers 200 with the plan stored; the provider lists as enabled; its next plan writes the row', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await subscriptionsApp('fault_first', { warehouse: faulty });
    await s.call('GET', '/providers'); // warm caches: the create's calls are then provider row | lock row, MERGE, audit | provider row
    const providerRows = async (p: string) => s.deps.warehouse.query({ sql: `SELECT is_enabled FROM ${s.deps.warehouse.table('fault_first_prod', 'saas_subscription_providers')} WHERE provider = @p`, params: { p } });
    const cases = [['figma', 4, 'before'], ['notion', 5, 'before'], ['miro', 4, 'after'], ['custom_tool', 5, 'before']] as const;
    for (const [provider, k, mode] of cases) {
      faulty.armAt(k, mode);
      const first = await s.call('POST', `/providers/${provider}/plans`, { plan_name: 'FIRST', unit_price: '5', currency: 'USD' });
      faulty.heal();
      expect(first.status, `${provider} ${k} ${mode}: ${JSON.stringify(first.body)}`).toBe(200);
      const listed = (await s.call<{ providers: { provider: string; is_enabled: boolean; plan_count: number }[] }>('GET', '/providers')).body.providers.find((p) => p.provider === provider);
      expect(listed, provider).toMatchObject({ is_enabled: true, plan_count: 1 });
      expect((await s.call('POST', `/providers/${provider}/plans`, { plan_name: 'SECOND', unit_price: '5', currency: 'USD' })).status).toBe(200);
      expect(await providerRows(provider), provider).toEqual([{ is_enabled: true }]);
    }
  });
});
