import { defineRoute } from '@cloudact/shared';
import { listCostAlerts } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlertList, ListCostAlertsQuery, OrgParams } from '../../schemas.js';

export const listCostAlertsRoute = defineRoute({
  method: 'GET', path: '/api/v1/cost-alerts/{org_slug}', auth: 'org', tags: ['cost-alerts'],
  summary: 'The org\'s cost alerts (its absolute_threshold rules), by scope and enabled_only',
  params: OrgParams,
  query: ListCostAlertsQuery,
  response: CostAlertList,
  async handler({ params, query, ctx }) {
    return listCostAlerts(ctx, { orgSlug: params.org_slug, ...query });
  },
});
