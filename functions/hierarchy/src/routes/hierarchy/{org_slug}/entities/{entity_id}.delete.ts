import { defineRoute } from '@cloudact/shared';
import { deleteEntity } from '@cloudact/shared/hierarchy/entities/delete';
import { ForceQuery } from '../../../../entities.schemas.js';
import { EntityParams, NoContent } from '../../../../schemas.js';

export const deleteEntityRoute = defineRoute({
  method: 'DELETE', path: '/api/v1/hierarchy/{org_slug}/entities/{entity_id}', auth: 'org', tags: ['hierarchy'],
  summary: 'Delete (close) an entity; with children 409 unless force=true (the subtree goes with it); references (SaaS plans, integrations) → 409',
  params: EntityParams,
  query: ForceQuery,
  response: NoContent,
  successStatus: 204,
  async handler({ params, query, ctx }) {
    await deleteEntity(ctx, { orgSlug: params.org_slug, entityId: params.entity_id, force: query.force });
    return undefined;
  },
});
