import { defineRoute } from '@cloudact/shared';
import { seedEntities } from '@cloudact/shared/hierarchy/entities/seed';
import { ForceQuery, SeedEntitiesResponse } from '../../../../entities.schemas.js';
import { OrgParams } from '../../../../schemas.js';

export const seedEntitiesRoute = defineRoute({
  method: 'POST', path: '/api/v1/hierarchy/{org_slug}/entities/seed', auth: 'org', tags: ['hierarchy'],
  summary: 'Write the 20 sample entities into an org without entities (force=true: over the sample ids too, as new versions; history is never wiped)',
  params: OrgParams,
  query: ForceQuery,
  response: SeedEntitiesResponse,
  async handler({ params, query, ctx }) {
    return seedEntities(ctx, { orgSlug: params.org_slug, force: query.force });
  },
});
