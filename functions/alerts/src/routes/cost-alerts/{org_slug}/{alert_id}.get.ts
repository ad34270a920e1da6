import { defineRoute } from '@cloudact/shared';
import { getCostAlert } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlert, CostAlertParams } from '../../../schemas.js';

export const getCostAlertRoute = defineRoute({
  method: 'GET', path: '/api/v1/cost-alerts/{org_slug}/{alert_id}', auth: 'org', tags: ['cost-alerts'],
  summary: 'One cost alert',
  params: CostAlertParams,
  response: CostAlert,
  async handler({ params, ctx }) {
    return getCostAlert(ctx, { orgSlug: params.org_slug, alertId: params.alert_id });
  },
});
