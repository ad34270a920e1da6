import { defineRoute } from '@cloudact/shared';
import { getOrgAnomaly } from '@cloudact/shared/alerts/anomalies/read';
import { Anomaly, AnomalyParams } from '../../../../anomaly-schemas.js';

export const getAnomalyRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/anomalies/{anomaly_id}', auth: 'org', tags: ['notifications'],
  summary: 'One cost anomaly, with its days and top contributors',
  params: AnomalyParams,
  response: Anomaly,
  async handler({ params, ctx }) {
    return getOrgAnomaly(ctx, { orgSlug: params.org_slug, anomalyId: params.anomaly_id });
  },
});
