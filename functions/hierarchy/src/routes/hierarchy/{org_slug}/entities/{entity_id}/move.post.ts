import { defineRoute } from '@cloudact/shared';
import { moveEntity } from '@cloudact/shared/hierarchy/entities/move';
import { MovedEntity, MoveEntityBody } from '../../../../../entities.schemas.js';
import { EntityParams } from '../../../../../schemas.js';

export const moveEntityRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}/move', auth: 'org', tags: ['hierarchy'],
  summary: 'Move an entity under another parent; it and its descendants get new versions with the new paths in one statement',
  params: EntityParams,
  body: MoveEntityBody,
  response: MovedEntity,
  async handler({ params, body, ctx }) {
    return moveEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id, newParentId: body.new_parent_id });
  },
});
