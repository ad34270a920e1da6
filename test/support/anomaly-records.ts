import { tenantOf } from '../../shared/src/orgs/identity.js';
import { ensureAnomalyLock, recordAnomalies, type DetectedRun } from '@cloudact/shared/alerts/anomalies/store';
import type { testDeps } from '../../shared/test/support/deps.js';

type Deps = Awaited<ReturnType<typeof testDeps>>;

/**
 * Two anomaly records of the org through the store's own MERGE (what a detection writes), so the
 * matrix's lifecycle cases have records whatever the seeded ledger holds: one to acknowledge and
 * resolve, one to ignore. Returns their ids.
 */
export async function recordTwoAnomalies(deps: Deps, orgSlug: string, day: string, currency: string): Promise<[string, string]> {
  const t = await tenantOf({ ...deps, actor: { kind: 'system', name: 'matrix' } }, orgSlug);
  const now = deps.clock();
  await ensureAnomalyLock(deps.warehouse, t, now);
  const run = (n: number, service: string): DetectedRun => ({
    anomaly_id: `matrix-anomaly-${n}`, hierarchy_entity_id: null, series_key: `Google Cloud|${service}|`, provider: 'Google Cloud', service, model: null, cost_category: 'cloud',
    direction: 'up', start_day: day, last_seen_day: day, peak_day: day, currency,
    actual_amount: '2000.00', expected_amount: '1000.00', impact_amount: '1000.00', percent_change: 100, z_score: 8, min_impact_amount: '15.00', baseline_weeks: 4,
    days: [{ day, actual: 2000, expected: 1000, mad: 20, z: 8, percent: 100 }], contributors: [{ sku: 'SKU-MATRIX', actual: 1500, expected: 500, delta: 1000 }],
  });
  await recordAnomalies(deps.warehouse, t, [run(1, 'Matrix Compute'), run(2, 'Matrix Storage')], now);
  return ['matrix-anomaly-1', 'matrix-anomaly-2'];
}
