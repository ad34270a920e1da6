import { defineRoute } from '@cloudact/shared';
import { getEntity } from '@cloudact/shared/hierarchy/entities/reads';
import { Entity } from '../../../../entities.schemas.js';
import { EntityParams } from '../../../../schemas.js';

export const getEntityRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}', auth: 'org', tags: ['hierarchy'],
  summary: 'One entity\'s current version (404 once deleted)',
  params: EntityParams,
  response: Entity,
  async handler({ params, ctx }) {
    return getEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id });
  },
});
