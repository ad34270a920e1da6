import { defineRoute } from '@cloudact/shared';
import { ignoreAnomaly } from '@cloudact/shared/alerts/anomalies/ignore';
import { Anomaly, AnomalyParams, IgnoreBody } from '../../../../../anomaly-schemas.js';

export const ignoreAnomalyRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/ignore', auth: 'org', tags: ['notifications'],
  summary: 'Ignore an open or acknowledged anomaly with a reason and feedback (expected | not_anomaly); rules stop alerting on it',
  params: AnomalyParams,
  body: IgnoreBody,
  response: Anomaly,
  async handler({ params, body, ctx }) {
    return ignoreAnomaly(ctx, { orgSlug: params.org_slug, anomalyId: params.anomaly_id, ...body });
  },
});
