import { defineRoute } from '@cloudact/shared';
import { ancestorsOf } from '@cloudact/shared/hierarchy/entities/reads';
import { RelativesResponse } from '../../../../../entities.schemas.js';
import { EntityParams } from '../../../../../schemas.js';

export const ancestorsRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}/ancestors', auth: 'org', tags: ['hierarchy'],
  summary: "The entity's ancestors, from level 1 down to its parent",
  params: EntityParams,
  response: RelativesResponse,
  async handler({ params, ctx }) {
    return ancestorsOf(ctx, { orgSlug: params.org_slug, entityId: params.entity_id });
  },
});
