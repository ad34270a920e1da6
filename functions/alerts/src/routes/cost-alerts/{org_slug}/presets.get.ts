import { defineRoute } from '@cloudact/shared';
import { costAlertPresets } from '@cloudact/shared/alerts/cost-alerts/presets';
import { OrgParams, Presets } from '../../../schemas.js';

export const costAlertPresetsRoute = defineRoute({
  method: 'GET', path: '/api/v1/cost-alerts/{org_slug}/presets', auth: 'org', tags: ['cost-alerts'],
  summary: 'The preset cost alerts, their thresholds in the org\'s currency',
  params: OrgParams,
  response: Presets,
  async handler({ params, ctx }) {
    return costAlertPresets(ctx, { orgSlug: params.org_slug });
  },
});
