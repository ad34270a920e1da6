import { defineRoute } from '@cloudact/shared';
import { deleteLevel } from '@cloudact/shared/hierarchy/levels/delete';
import { LevelParams, NoContent } from '../../../../schemas.js';

export const deleteLevelRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/hierarchy/{org_slug}/levels/{level}', auth: 'org', tags: ['hierarchy'],
  summary: 'Remove a level; 409 while an entity is on it or another level names it as parent',
  params: LevelParams,
  response: NoContent,
  successStatus: 204,
  async handler({ params, ctx }) {
    await deleteLevel(ctx, { orgSlug: params.org_slug, level: params.level });
    return undefined;
  },
});
