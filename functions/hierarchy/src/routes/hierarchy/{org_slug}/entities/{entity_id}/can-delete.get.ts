import { defineRoute } from '@cloudact/shared';
import { canDeleteEntity } from '@cloudact/shared/hierarchy/entities/can-delete';
import { CanDeleteResponse } from '../../../../../entities.schemas.js';
import { EntityParams } from '../../../../../schemas.js';

export const canDeleteRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}/can-delete', auth: 'org', tags: ['hierarchy'],
  summary: 'Whether a delete would be refused, and by what: children, SaaS plans and integrations pointing at it',
  params: EntityParams,
  response: CanDeleteResponse,
  async handler({ params, ctx }) {
    return canDeleteEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id });
  },
});
