import { defineRoute } from '@cloudact/shared';
import { getLevel } from '@cloudact/shared/hierarchy/levels/get';
import { Level, LevelParams } from '../../../../schemas.js';

export const getLevelRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/levels/{level}', auth: 'org', tags: ['hierarchy'],
  summary: 'One level by number',
  params: LevelParams,
  response: Level,
  async handler({ params, ctx }) {
    return getLevel(ctx, { orgSlug: params.org_slug, level: params.level });
  },
});
