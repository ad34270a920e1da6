import { defineRoute } from '@cloudact/shared';
import { createEntity } from '@cloudact/shared/hierarchy/entities/create';
import { CreateEntityBody, Entity } from '../../../entities.schemas.js';
import { OrgParams } from '../../../schemas.js';

export const createEntityRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/entities', auth: 'org', tags: ['hierarchy'],
  summary: 'Create an entity under a parent of the level above; a current entity of that id → 409',
  params: OrgParams,
  body: CreateEntityBody,
  response: Entity,
  successStatus: 201,
  async handler({ params, body, ctx }) {
    return createEntity(ctx, { orgSlug: params.org_slug, ...body });
  },
});
