import type { Ctx } from '../../context/index.js';
import { alertScope } from '../scope.js';
import { detectAnomalies } from './detect.js';
import { anomalyView } from './view.js';

/** Detection now, for one org (what an anomaly rule's evaluation runs too): the records it created or extended. */
export async function detectOrgAnomalies(ctx: Ctx, input: { orgSlug: string }) {
  const scope = await alertScope(ctx, input.orgSlug);
  const d = await detectAnomalies(ctx, scope);
  return { ...d, today: scope.today, anomalies: d.anomalies.map(anomalyView) };
}
