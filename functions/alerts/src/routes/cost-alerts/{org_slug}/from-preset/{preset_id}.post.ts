import { defineRoute, Reply } from '@cloudact/shared';
import { createFromPreset } from '@cloudact/shared/alerts/cost-alerts/presets';
import { CostAlert, FromPresetQuery, PresetParams } from '../../../../schemas.js';

export const fromPresetRoute = defineRoute({
  method: 'POST', path: '/api/v1/cost-alerts/{org_slug}/from-preset/{preset_id}', auth: 'org', tags: ['cost-alerts'],
  summary: 'Add a cost alert from a preset (201), with name_override and threshold_override',
  params: PresetParams,
  query: FromPresetQuery,
  response: CostAlert,
  successStatus: 201,
  async handler({ params, query, ctx }) {
    return new Reply(201, await createFromPreset(ctx, { orgSlug: params.org_slug, presetId: params.preset_id, ...query }));
  },
});
