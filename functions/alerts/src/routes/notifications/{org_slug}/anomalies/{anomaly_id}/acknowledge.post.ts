import { defineRoute } from '@cloudact/shared';
import { acknowledgeAnomaly } from '@cloudact/shared/alerts/anomalies/acknowledge';
import { Anomaly, AnomalyParams } from '../../../../../anomaly-schemas.js';

export const acknowledgeAnomalyRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/anomalies/{anomaly_id}/acknowledge', auth: 'org', tags: ['notifications'],
  summary: 'Acknowledge an open anomaly (409 from resolved or ignored; again: unchanged)',
  params: AnomalyParams,
  response: Anomaly,
  async handler({ params, ctx }) {
    return acknowledgeAnomaly(ctx, { orgSlug: params.org_slug, anomalyId: params.anomaly_id });
  },
});
