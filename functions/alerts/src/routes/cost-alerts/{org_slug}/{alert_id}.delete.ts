import { defineRoute } from '@cloudact/shared';
import { deleteCostAlert } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlertParams, NoContent } from '../../../schemas.js';

export const deleteCostAlertRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/cost-alerts/{org_slug}/{alert_id}', auth: 'org', tags: ['cost-alerts'],
  summary: 'Delete a cost alert (204)',
  params: CostAlertParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await deleteCostAlert(ctx, { orgSlug: params.org_slug, alertId: params.alert_id });
    return undefined;
  },
});
