import { defineRoute, Reply } from '@cloudact/shared';
import { createCostAlert } from '@cloudact/shared/alerts/cost-alerts/verbs';
import { CostAlert, CreateCostAlertBody, OrgParams } from '../../schemas.js';

export const createCostAlertRoute = defineRoute({
  method: 'POST', path: '/api/v1/cost-alerts/{org_slug}', auth: 'org', tags: ['cost-alerts'],
  summary: 'Add a cost alert (201): a spend threshold in the org\'s currency over a period, to channels by type',
  params: OrgParams,
  body: CreateCostAlertBody,
  response: CostAlert,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return new Reply(201, await createCostAlert(ctx, { orgSlug: params.org_slug, ...body }));
  },
});
