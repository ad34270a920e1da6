import { defineRoute } from '@cloudact/shared';
import { descendantsOfEntity } from '@cloudact/shared/hierarchy/entities/reads';
import { RelativesResponse } from '../../../../../entities.schemas.js';
import { EntityParams } from '../../../../../schemas.js';

export const descendantsRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}/descendants', auth: 'org', tags: ['hierarchy'],
  summary: "Every current entity below it",
  params: EntityParams,
  response: RelativesResponse,
  async handler({ params, ctx }) {
    return descendantsOfEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id });
  },
});
