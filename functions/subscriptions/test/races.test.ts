import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { subscriptionsApp, type PlanBody } from './support/app.js';

/**
 * Concurrent edit-versions of one plan on the warehouse mode where mutating statements really
 * overlap and conflict as on BigQuery (no unique constraints, conflicts retried by the adapter).
 */
describe('20 concurrent edit-versions of one plan', () => {
  it('exactly one wins (200), the other 19 get 409; one open version, two rows', async () => {
    const s = await subscriptionsApp('race_co', { warehouse: await DuckDbWarehouse.open(':memory:', { concurrentDml: true, dmlHoldMs: 10 }) });
    await s.call('POST', '/providers/slack/enable', {});
    const { body } = await s.call<{ plan: PlanBody }>('POST', '/providers/slack/plans', { plan_name: 'PRO', pricing_model: 'PER_SEAT', unit_price: '8.75', seats: 10, currency: 'USD' });
    const plan = body.plan;

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      s.call<{ new_plan?: PlanBody; error?: string; details?: { reason: string } }>('POST', `/providers/slack/plans/${plan.subscription_id}/edit-version`, { effective_date: '2026-04-01', seats: 11 + i })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.details?.reason === 'concurrent_change')).toBe(true);

    const rows = await s.deps.warehouse.query({
      sql: `SELECT subscription_id, version, superseded_by, end_date, seats FROM ${s.deps.warehouse.table('race_co_prod', 'saas_subscription_plans')} WHERE plan_id = @p ORDER BY version`,
      params: { p: plan.plan_id },
    });
    const winner = answers.find((a) => a.status === 200)!.body.new_plan!;
    expect(rows).toHaveLength(2);
    expect(rows.filter((r) => r.superseded_by === null)).toEqual([{ subscription_id: winner.subscription_id, version: 2, superseded_by: null, end_date: null, seats: winner.seats }]);
    expect(rows[0]).toMatchObject({ version: 1, superseded_by: winner.subscription_id, end_date: '2026-03-31' });
  });
});
