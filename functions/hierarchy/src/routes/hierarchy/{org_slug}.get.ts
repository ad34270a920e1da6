import { defineRoute } from '@cloudact/shared';
import { listEntities } from '@cloudact/shared/hierarchy/entities/reads';
import { EntitiesResponse, ListEntitiesQuery } from '../../entities.schemas.js';
import { OrgParams } from '../../schemas.js';

export const listEntitiesRoute = defineRoute({
  method: 'GET', path: '/api/v1/hierarchy/{org_slug}', auth: 'org', tags: ['hierarchy'],
  summary: 'The current entities (one version each), optionally of one level',
  params: OrgParams,
  query: ListEntitiesQuery,
  response: EntitiesResponse,
  async handler({ params, query, ctx }) {
    return listEntities(ctx, { orgSlug: params.org_slug, levelCode: query.level_code, includeInactive: query.include_inactive });
  },
});
