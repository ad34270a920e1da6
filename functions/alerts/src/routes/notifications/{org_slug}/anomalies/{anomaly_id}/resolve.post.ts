import { defineRoute } from '@cloudact/shared';
import { resolveAnomaly } from '@cloudact/shared/alerts/anomalies/resolve';
import { Anomaly, AnomalyParams } from '../../../../../anomaly-schemas.js';

export const resolveAnomalyRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/resolve', auth: 'org', tags: ['notifications'],
  summary: 'Resolve an open or acknowledged anomaly (409 from ignored; again: unchanged)',
  params: AnomalyParams,
  response: Anomaly,
  async handler({ params, ctx }) {
    return resolveAnomaly(ctx, { orgSlug: params.org_slug, anomalyId: params.anomaly_id });
  },
});
