import { defineRoute } from '@cloudact/shared';
import { updateCostAlert } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlert, CostAlertParams, UpdateCostAlertBody } from '../../../schemas.js';

export const updateCostAlertRoute = defineRoute({
  method: 'PUT', path: '/api/v1/cost-alerts/{org_slug}/{alert_id}', auth: 'org', tags: ['cost-alerts'],
  summary: 'Change a cost alert (checked again whole as a rule)',
  params: CostAlertParams,
  body: UpdateCostAlertBody,
  response: CostAlert,
  async handler({ params, body, ctx }) {
    return updateCostAlert(ctx, { orgSlug: params.org_slug, alertId: params.alert_id, ...body });
  },
});
