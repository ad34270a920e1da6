import { defineRoute } from '@cloudact/shared';
import { seedLevels } from '@cloudact/shared/hierarchy/levels/seed';
import { OrgParams, SeedLevelsResponse } from '../../../../schemas.js';

export const seedLevelsRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/levels/seed', auth: 'org', tags: ['hierarchy'],
  summary: 'Store the default levels (idempotent: a default whose number or code is taken is skipped)',
  params: OrgParams,
  response: SeedLevelsResponse,
  async handler({ params, ctx }) {
    return seedLevels(ctx, { orgSlug: params.org_slug });
  },
});
