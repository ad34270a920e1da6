import { defineRoute } from '@cloudact/shared';
import { updateLevel } from '@cloudact/shared/hierarchy/levels/update';
import { Level, LevelParams, UpdateLevelBody } from '../../../../schemas.js';

export const updateLevelRoute = defineRoute({
  method: 'PUT', path: '/api/v1/hierarchy/{org_slug}/levels/{level}', auth: 'org', tags: ['hierarchy'],
  summary: 'Change a level\'s names, prefix, limits and look (not its number, code or parent)',
  params: LevelParams,
  body: UpdateLevelBody,
  response: Level,
  async handler({ params, body, ctx }) {
    return updateLevel(ctx, { orgSlug: params.org_slug, level: params.level, change: body });
  },
});
