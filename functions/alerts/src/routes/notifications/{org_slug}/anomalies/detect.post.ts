import { defineRoute } from '@cloudact/shared';
import { detectOrgAnomalies } from '@cloudact/shared/alerts/anomalies/detect-org';
import { OrgParams } from '../../../../schemas.js';
import { Detection } from '../../../../anomaly-schemas.js';

export const detectAnomaliesRoute = defineRoute({
  method: 'POST', path: '/api/v1/notifications/{org_slug}/anomalies/detect', auth: 'org', tags: ['notifications'],
  summary: 'Run the anomaly detector now (evaluations run it too): records the anomalies it finds, extending ongoing ones',
  params: OrgParams,
  response: Detection,
  async handler({ params, ctx }) {
    return detectOrgAnomalies(ctx, { orgSlug: params.org_slug });
  },
});
