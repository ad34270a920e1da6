import { describe, expect, it } from 'vitest';
import { DuckDbWarehouse } from '@cloudact/shared/warehouse/duckdb';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { pipelinesApp } from './support/app.js';

const PIPELINE = 'saas_subscription_saas_cost';

/**
 * Admission and completion with the warehouse failing at each of their calls, before the call or
 * after it with the answer lost. A warehouse error is a 503 with Retry-After, never a refusal
 * (QUOTA_EXCEEDED); a reservation is counted exactly once when it exists, and a reservation
 * whose answer was lost holds its slot only until its lease ends.
 */
describe('validate when the warehouse fails half-way', () => {
  it('answers an admission or a 503, counts each reservation once, and a lost one is freed by its lease', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await pipelinesApp('fault_co', { warehouse: faulty });
    await s.setLimits({ daily: 1000, concurrent: 1000 });
    await s.validate(PIPELINE); // warm: the key, the profile and the LOCK row exist
    const outcomes: string[] = [];
    let admitted = 1;
    for (const mode of ['before', 'after'] as const) {
      for (let k = 1; k <= 4; k++) {
        faulty.armAt(k, mode);
        const r = await s.validate(PIPELINE);
        faulty.heal();
        outcomes.push(`${mode} ${k}: ${r.status} ${r.body.valid ?? r.body.error}`);
        if (r.status === 503) expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
        else {
          expect(r.status, r.text).toBe(200);
          expect(r.body.valid, `${mode} ${k}: a warehouse error is never a refusal`).toBe(true);
          admitted++;
        }
        const [day] = await s.dayRows();
        const reservations = await s.deps.warehouse.query({
          sql: `SELECT COUNT(*) AS n FROM ${s.deps.warehouse.table('organizations', 'org_usage_quotas')} WHERE org_slug = @org AND row_kind = 'RESERVATION'`, params: { org: s.org },
        });
        // Each reservation row is counted on the day exactly once, whatever the answer said.
        expect(day!.pipelines_run_today, `${mode} ${k}`).toBe(Number(reservations[0]!.n));
        expect(Number(reservations[0]!.n)).toBeGreaterThanOrEqual(admitted);
      }
    }
    // The MERGE itself failing with its answer lost is recognised by reading the reservation back.
    expect(outcomes).toContain('after 3: 200 true');
    expect(outcomes.filter((o) => o.includes(' 503 '))).not.toHaveLength(0);
  });

  it('a reservation committed but never answered (answer lost after the read-back) stops holding its slot at its lease end', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await pipelinesApp('lost_co', { warehouse: faulty });
    await s.setLimits({ concurrent: 1 });
    await s.complete('SUCCESS', (await s.validate(PIPELINE)).body.reservation_id); // warm
    faulty.armAt(3, 'after', true); // the MERGE commits, then the warehouse is down: no read-back
    const lost = await s.validate(PIPELINE);
    faulty.heal();
    expect(lost.status).toBe(503);
    expect((await s.validate(PIPELINE)).body).toMatchObject({ valid: false, quota_limit: 'concurrent' });
    s.time.advance(900_000 + 1);
    expect((await s.validate(PIPELINE)).body.valid).toBe(true);
  });
});

describe('complete when the warehouse fails half-way', () => {
  it('a 503 is safe to repeat: the outcome is counted once', async () => {
    const faulty = new FaultyWarehouse(await DuckDbWarehouse.open(':memory:'));
    const s = await pipelinesApp('fault_done', { warehouse: faulty });
    await s.setLimits({ daily: 1000, concurrent: 1000 });
    let expected = 0;
    for (const mode of ['before', 'after'] as const) {
      for (let k = 1; k <= 2; k++) {
        const id = (await s.validate(PIPELINE)).body.reservation_id as string;
        faulty.armAt(k, mode);
        const first = await s.complete('SUCCESS', id);
        faulty.heal();
        expect([200, 503], `${mode} ${k}: ${first.text}`).toContain(first.status);
        const again = await s.complete('SUCCESS', id);
        expect(again.status).toBe(200);
        expect(again.body.success).toBe(true);
        expected++;
        expect((await s.dayRows())[0]!.pipelines_succeeded_today, `${mode} ${k}`).toBe(expected);
      }
    }
  });
});
