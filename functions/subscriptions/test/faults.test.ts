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
