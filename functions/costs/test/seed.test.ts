import { describe, expect, it } from 'vitest';
import { seedCosts } from '@cloudact/shared/costs/seed/seed';
import { COST_TABLE } from '../../../shared/src/costs/ledger/store.js';
import { FaultyWarehouse } from '../../../shared/test/support/faulty-warehouse.js';
import { costsApp } from './support.js';

/**
 * `pnpm seed:costs` rerun and killed half-way: a rerun replaces what the seed wrote (no
 * duplicate x_SourceRecordId), and a run that died half-way is reported by the next run, which
 * ends with the clean full set.
 */
type T = Awaited<ReturnType<typeof costsApp>>;
const ARGS = { days: 6, rowsPerDay: 120, seed: 5, end: '2026-03-20' };

async function ledger(t: T, slug: string) {
  const [r] = await t.deps.warehouse.query({ sql: `SELECT COUNT(*) AS n, COUNT(DISTINCT x_SourceRecordId) AS ids, CAST(SUM(EffectiveCost) AS STRING) AS eff FROM ${t.deps.warehouse.table(`${slug}_prod`, COST_TABLE)}` });
  return { n: Number(r!.n), ids: Number(r!.ids), eff: String(r!.eff) };
}

describe('seed:costs reruns', () => {
  it('a rerun replaces the rows of the same seed: no duplicate x_SourceRecordId, the same set', async () => {
    const t = await costsApp({ slug: 'seed_a', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' });
    const one = await seedCosts(t.deps, { orgSlug: 'seed_a', ...ARGS });
    const after1 = await ledger(t, 'seed_a');
    expect(after1).toMatchObject({ n: one.rows, ids: one.rows });
    const two = await seedCosts(t.deps, { orgSlug: 'seed_a', ...ARGS });
    expect(await ledger(t, 'seed_a')).toEqual(after1);
    expect(two.replaced_rows).toBe(one.rows);
    expect(two.unfinished_runs).toEqual([]);
    // An overlapping range two days later: the overlap is replaced, the days before stay, still no copies.
    const three = await seedCosts(t.deps, { orgSlug: 'seed_a', ...ARGS, end: '2026-03-22' });
    const after3 = await ledger(t, 'seed_a');
    expect(after3.ids).toBe(after3.n);
    expect(three.replaced_rows).toBeGreaterThan(0);
    expect(after3.n).toBeGreaterThan(one.rows);
  });

  it('a run killed half-way is reported by the next one, which ends with the clean full set', async () => {
    const t = await costsApp({ slug: 'seed_b', currency: 'INR', timezone: 'Asia/Kolkata', now: '2026-03-20T12:00:00Z' });
    const args = { orgSlug: 'seed_b', ...ARGS, chunkRows: 200 };
    // The clean full set, for comparison, then wiped by a rerun that fails half-way.
    const clean = await seedCosts(t.deps, args);
    const full = await ledger(t, 'seed_b');

    const faulty = new FaultyWarehouse(t.deps.warehouse);
    faulty.armAt(1_000_000, 'before');
    await seedCosts({ ...t.deps, warehouse: faulty }, args);
    const loads = faulty.log.map((c, i) => [c, i + 1] as const).filter(([c]) => c === 'loadColumnar').map(([, i]) => i);
    expect(loads.length).toBeGreaterThan(3);
    // The third load lands, then the run dies (as a killed process would, mid-way).
    faulty.armAt(loads[2]!, 'after');
    await expect(seedCosts({ ...t.deps, warehouse: faulty }, args)).rejects.toThrow(/injected fault/);
    const half = await ledger(t, 'seed_b');
    expect(half.n).toBeGreaterThan(0);
    expect(half.n).toBeLessThan(full.n);

    faulty.heal();
    const next = await seedCosts({ ...t.deps, warehouse: faulty }, args);
    expect(next.unfinished_runs).toHaveLength(1);
    expect(next.unfinished_runs[0]).toMatchObject({ from: clean.from, to: clean.to, rows_removed: half.n });
    expect(await ledger(t, 'seed_b')).toEqual(full);
    // Reported once: the run after that finds nothing unfinished.
    expect((await seedCosts(t.deps, args)).unfinished_runs).toEqual([]);
    expect(await ledger(t, 'seed_b')).toEqual(full);
  });
});
