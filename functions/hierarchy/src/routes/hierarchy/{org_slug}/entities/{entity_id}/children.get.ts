import { defineRoute } from '@cloudact/shared';
import { childrenOf } from '@cloudact/shared/hierarchy/entities/reads';
import { RelativesResponse } from '../../../../../entities.schemas.js';
import { EntityParams } from '../../../../../schemas.js';

export const childrenRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}/children', auth: 'org', tags: ['hierarchy'],
  summary: "The entity's current children",
  params: EntityParams,
  response: RelativesResponse,
  async handler({ params, ctx }) {
    return childrenOf(ctx, { orgSlug: params.org_slug, entityId: params.entity_id });
  },
});
