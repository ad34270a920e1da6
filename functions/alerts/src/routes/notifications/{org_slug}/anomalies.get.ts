import { defineRoute } from '@cloudact/shared';
import { listOrgAnomalies } from '@cloudact/shared/alerts/anomalies/list';
import { OrgParams } from '../../../schemas.js';
import { AnomalyList, AnomalyQuery } from '../../../anomaly-schemas.js';

export const listAnomaliesRoute = defineRoute({
  method: 'GET', path: '/api/v1/notifications/{org_slug}/anomalies', auth: 'org', tags: ['notifications'],
  summary: 'Cost anomalies last seen within `days` local days (default 30), by status; an ongoing anomaly is one record',
  params: OrgParams,
  query: AnomalyQuery,
  response: AnomalyList,
  async handler({ params, query, ctx }) {
    return listOrgAnomalies(ctx, { orgSlug: params.org_slug, ...query });
  },
});
