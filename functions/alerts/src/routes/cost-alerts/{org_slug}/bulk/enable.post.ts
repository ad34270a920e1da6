import { defineRoute } from '@cloudact/shared';
import { bulkSetCostAlertsEnabled } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { BulkBody, BulkResult, OrgParams } from '../../../../schemas.js';

export const bulkEnableRoute = defineRoute({
  method: 'POST', path: '/api/v1/cost-alerts/{org_slug}/bulk/enable', auth: 'org', tags: ['cost-alerts'],
  summary: 'Enable several cost alerts; ids that are not the org\'s cost alerts are listed as failed',
  params: OrgParams,
  body: BulkBody,
  response: BulkResult,
  async handler({ params, body, ctx }) {
    return bulkSetCostAlertsEnabled(ctx, { orgSlug: params.org_slug, alertIds: Array.isArray(body) ? body : body.alert_ids, enabled: true });
  },
});
