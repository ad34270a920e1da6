import { defineRoute } from '@cloudact/shared';
import { setCostAlertEnabled } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlert, CostAlertParams } from '../../../../schemas.js';

export const disableCostAlertRoute = defineRoute({
  method: 'POST', path: '/api/v1/cost-alerts/{org_slug}/{alert_id}/disable', auth: 'org', tags: ['cost-alerts'],
  summary: 'Disable a cost alert',
  params: CostAlertParams,
  response: CostAlert,
  async handler({ params, ctx }) {
    return setCostAlertEnabled(ctx, { orgSlug: params.org_slug, alertId: params.alert_id, enabled: false });
  },
});
