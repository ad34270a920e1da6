import { defineRoute } from '@cloudact/shared';
import { updateEntity } from '@cloudact/shared/hierarchy/entities/update';
import { Entity, UpdateEntityBody } from '../../../../entities.schemas.js';
import { EntityParams } from '../../../../schemas.js';

export const updateEntityRoute = defineRoute({
  method: 'PUT', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}', auth: 'org', tags: ['hierarchy'],
  summary: 'Rename or change details: the next version, with the descendants\' path names following (a deleted entity → 404; use move for the parent)',
  params: EntityParams,
  body: UpdateEntityBody,
  response: Entity,
  async handler({ params, body, ctx }) {
    return updateEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id, ...body });
  },
});
